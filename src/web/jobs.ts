// The workbench's ingest runs: one at a time (two would fight over the OCR engines and the 2 cores),
// in the background of the request that started it; the page polls its progress. What a clerk sees
// of a finished run is its summary, its failures in Chinese and what to do next — never a bare 导入完成
// when a path was missing or nothing was read.
import { basename, relative } from 'node:path';
import type { IngestBatchResult, IngestProgress } from '../app/index.js';
import { FORMS } from '../forms/index.js';
import { FORM_KINDS } from '../types.js';

export interface JobFailure {
  file: string;
  page?: number;
  code: string;
  message: string;
}

export interface JobSummary {
  records: number;
  byForm: { form: string; name: string; count: number }[];
  copies: number;
  /** Records with a field to look at: the 核对 queue. */
  toReview: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failures: JobFailure[];
  missing: string[];
}

export interface IngestJob {
  id: number;
  state: 'running' | 'done' | 'failed';
  /** What was given, as the clerk named it (uploaded files by their own names). */
  inputs: string[];
  pagesDone: number;
  pagesTotal?: number;
  file?: string;
  summary?: JobSummary;
  /** A run that stopped: the message in Chinese. */
  error?: string;
}

export type RunBatch = (
  paths: readonly string[],
  onProgress: (p: IngestProgress) => void,
) => Promise<IngestBatchResult>;

export class IngestJobs {
  private last: IngestJob | undefined;
  private seq = 0;

  constructor(private readonly run: RunBatch) {}

  get current(): IngestJob | undefined {
    return this.last;
  }

  get busy(): boolean {
    return this.last?.state === 'running';
  }

  /**
   * Starts a run; `shownFrom` is the folder uploaded files sit in, so the page names them by their
   * own names rather than the server's paths. Returns undefined while another run is going.
   */
  start(paths: readonly string[], shownFrom?: string): IngestJob | undefined {
    if (this.busy) return undefined;
    const shown = (p: string) => (shownFrom ? relative(shownFrom, p) || basename(p) : p);
    const job: IngestJob = { id: ++this.seq, state: 'running', inputs: paths.map(shown), pagesDone: 0 };
    this.last = job;
    // The run goes on after the request is answered; its end is recorded on the job, never thrown.
    this.run(paths, (p) => {
      job.pagesDone = p.pagesDone;
      if (p.pagesTotal !== undefined) job.pagesTotal = p.pagesTotal;
      if (p.file) job.file = shown(p.file);
    }).then(
      (result) => {
        job.summary = summarise(result, shown);
        job.state = 'done';
      },
      (e: unknown) => {
        const code = (e as { code?: string }).code ?? '';
        job.error = code.startsWith('SQLITE_BUSY')
          ? '数据库正被其他程序使用（例如命令行正在导入），请稍后再导入。'
          : `导入中断：${e instanceof Error ? e.message : String(e)}`;
        job.state = 'failed';
      },
    );
    return job;
  }
}

function summarise(result: IngestBatchResult, shown: (p: string) => string): JobSummary {
  const subs = result.submissions;
  return {
    records: subs.length,
    byForm: FORM_KINDS.map((form) => ({
      form,
      name: FORMS[form].shortName,
      count: subs.filter((s) => s.form === form && !s.copyOf).length,
    })),
    copies: subs.filter((s) => s.copyOf).length,
    toReview: subs.filter((s) => s.issues.some((i) => i.code === 'low_confidence')).length,
    inserted: result.stored?.inserted ?? 0,
    updated: result.stored?.updated ?? 0,
    unchanged: result.stored?.unchanged ?? 0,
    failures: result.failures
      // A missing path is said once, under `missing`.
      .filter((f) => !result.missing.includes(f.file))
      .map((f) => ({
        file: shown(f.file),
        ...(f.page ? { page: f.page } : {}),
        code: f.code,
        message: f.message,
      })),
    missing: result.missing.map(shown),
  };
}

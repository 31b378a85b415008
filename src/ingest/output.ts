// What an ingest run leaves in its output folder: records.json (the record format of README.md, with the
// failures beside the submissions), the field crops, and a summary a clerk can read.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FORMS } from '../forms/index.js';
import { escapeControl } from '../terminal.js';
import type { SubmissionRecord } from '../types.js';
import { countByForm, type IngestResult } from './index.js';

export interface IngestSummary {
  submissions: Record<string, number>;
  copies: number;
  fieldsFlagged: number;
  recordsNeedingReview: number;
  failures: number;
  pages: number;
  seconds: number;
}

export function summarise(result: IngestResult): IngestSummary {
  const flagged = (r: SubmissionRecord) => r.issues.filter((i) => i.code === 'low_confidence').length;
  return {
    submissions: countByForm(result.submissions),
    copies: result.submissions.filter((r) => r.copyOf).length,
    fieldsFlagged: result.submissions.reduce((n, r) => n + flagged(r), 0),
    recordsNeedingReview: result.submissions.filter(
      (r) => flagged(r) > 0 || r.issues.some((i) => i.severity === 'error'),
    ).length,
    failures: result.failures.length,
    pages: result.stats.pages,
    seconds: result.stats.seconds,
  };
}

export function summaryText(result: IngestResult): string {
  const s = summarise(result);
  const lines = [
    `导入完成 / ingest finished: ${s.pages} 页 pages in ${s.seconds.toFixed(1)} s`,
    ...Object.values(FORMS).map((f) => `  ${f.shortName} (${f.kind}): ${s.submissions[f.kind] ?? 0}`),
    `  一式二份副本 / second copies linked: ${s.copies}`,
    `  待人工核对的字段 / fields flagged for review: ${s.fieldsFlagged}（涉及 ${s.recordsNeedingReview} 份 records）`,
    `  无法读取 / failures: ${s.failures}`,
  ];
  for (const f of result.failures) {
    lines.push(`    ✗ ${f.file}${f.page ? ` 第 ${f.page} 页` : ''} [${f.code}] ${f.message}`);
  }
  return lines.join('\n');
}

export async function writeIngestOutput(result: IngestResult, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const recordsPath = join(outDir, 'records.json');
  const summaryPath = join(outDir, 'summary.txt');
  await writeFile(
    recordsPath,
    `${JSON.stringify({ submissions: result.submissions, failures: result.failures }, null, 2)}\n`,
  );
  // Read with cat or less later: a file name's escape sequence must not reach that terminal either.
  await writeFile(summaryPath, `${escapeControl(summaryText(result))}\n`);
  return [recordsPath, summaryPath];
}

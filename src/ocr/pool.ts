// A small pool of OCR workers that remembers how each worker is set up. tesseract.js's scheduler
// cannot change the page segmentation mode per job (PSM is a per-worker setting), and changing
// the language means loading another model (~1.5 s for chi_sim 4.0.0). So each job goes to an
// idle worker already set up for it if there is one, else to an idle worker with the right
// language (re-parameterised: cheap), and a worker is restarted with another language only
// when no worker has that language at all.
import type { OcrLang } from './types.js';

/** What a recognition returns from the engine, before post-processing (tesseract.js's page subset). */
export interface RawPage {
  text: string;
  /** 0–100. */
  confidence: number;
  blocks?: RawBlock[] | null;
}

export interface RawBlock {
  paragraphs: { lines: { words: RawWord[] }[] }[];
}

export interface RawWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface PoolWorker {
  setParameters(params: Record<string, string>): Promise<void>;
  recognize(image: Buffer): Promise<RawPage>;
  terminate(): Promise<void>;
}

/** Starts a worker with a language loaded. Tests pass a fake one. */
export type WorkerFactory = (lang: OcrLang) => Promise<PoolWorker>;

export interface PoolOptions {
  size: number;
  /** Restart a worker after this many jobs: the wasm heap only grows. */
  maxJobsPerWorker: number;
  /** recognize() waits while this many jobs are queued (backpressure on a fast producer). */
  maxQueue: number;
  jobTimeoutMs: number;
  startTimeoutMs: number;
  /** Grace for jobs in flight when the pool closes. */
  closeTimeoutMs: number;
}

interface Job {
  lang: OcrLang;
  params: Record<string, string>;
  key: string;
  image: Buffer;
  resolve: (page: RawPage) => void;
  reject: (err: unknown) => void;
  /** Times an idle worker passed this job over (to bound waiting). */
  skipped: number;
}

interface Slot {
  id: number;
  worker?: PoolWorker;
  lang?: OcrLang;
  paramsKey?: string;
  busy: boolean;
  jobs: number;
  current?: Job;
}

export interface PoolStats {
  started: number;
  restarted: number;
  reparameterised: number;
  languageSwitches: number;
  completed: number;
  failed: number;
}

export class PoolClosedError extends Error {
  constructor() {
    super('The OCR engine was closed while this image was waiting to be read.');
    this.name = 'PoolClosedError';
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function paramsKey(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join(';');
}

/** Jobs an idle worker looks ahead at when choosing one that suits its setup. */
const WINDOW = 16;

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private closed = false;
  readonly stats: PoolStats = {
    started: 0,
    restarted: 0,
    reparameterised: 0,
    languageSwitches: 0,
    completed: 0,
    failed: 0,
  };

  constructor(
    private readonly factory: WorkerFactory,
    private readonly opts: PoolOptions,
  ) {
    if (!Number.isInteger(opts.size) || opts.size < 1) {
      throw new TypeError(`Expected a positive integer for the OCR pool size but received ${opts.size}`);
    }
    this.slots = Array.from({ length: opts.size }, (_, id) => ({ id, busy: false, jobs: 0 }));
  }

  /** Number of jobs waiting (not yet on a worker). */
  get queued(): number {
    return this.queue.length;
  }

  /** Languages and parameter sets the workers currently hold (for tests and logs). */
  get workers(): { id: number; lang?: OcrLang; params?: string; busy: boolean; jobs: number }[] {
    return this.slots.map((s) => ({
      id: s.id,
      lang: s.lang,
      params: s.paramsKey,
      busy: s.busy,
      jobs: s.jobs,
    }));
  }

  async submit(image: Buffer, lang: OcrLang, params: Record<string, string>): Promise<RawPage> {
    while (!this.closed && this.queue.length >= this.opts.maxQueue) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.closed) throw new PoolClosedError();
    return new Promise<RawPage>((resolve, reject) => {
      this.queue.push({ lang, params, key: paramsKey(params), image, resolve, reject, skipped: 0 });
      this.pump();
    });
  }

  /**
   * Starts every empty worker with `lang` now, in the background, so that loading the model
   * (~2.5 s of CPU each) overlaps the first page's preparation instead of following it. A worker
   * that fails to start here is left empty: the first job starts it again and reports the error.
   */
  warm(lang: OcrLang): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.worker || slot.busy) continue;
      slot.busy = true;
      void withTimeout(this.factory(lang), this.opts.startTimeoutMs, `Starting an OCR worker (${lang})`)
        .then(async (worker) => {
          if (this.closed) {
            await worker.terminate().catch(() => undefined);
            return;
          }
          slot.worker = worker;
          slot.lang = lang;
          slot.paramsKey = undefined;
          slot.jobs = 0;
          this.stats.started++;
        })
        .catch(() => undefined)
        .finally(() => {
          slot.busy = false;
          this.pump();
        });
    }
  }

  private take(job: Job): void {
    this.queue.splice(this.queue.indexOf(job), 1);
    this.spaceWaiters.shift()?.();
  }

  /** Chooses (job, slot) pairs while there are idle workers and suitable jobs. */
  private pump(): void {
    if (this.closed) return;
    for (;;) {
      const idle = this.slots.filter((s) => !s.busy);
      if (idle.length === 0 || this.queue.length === 0) return;
      const pair = this.choose(idle);
      if (!pair) return;
      const [job, slot] = pair;
      this.take(job);
      void this.run(slot, job);
    }
  }

  private choose(idle: Slot[]): [Job, Slot] | null {
    const window = this.queue.slice(0, WINDOW);
    // 1. A worker already set up exactly for a job.
    for (const job of window) {
      const s = idle.find((x) => x.worker && x.lang === job.lang && x.paramsKey === job.key);
      if (s) return [job, s];
    }
    // 2. A worker with the language (a parameter change costs milliseconds).
    for (const job of window) {
      const s = idle.find((x) => x.worker && x.lang === job.lang);
      if (s) return [job, s];
    }
    // 3. Jobs whose language no worker holds: start an empty slot, else switch an idle worker.
    //    A job whose language a busy worker holds waits for it, unless it has waited long.
    for (const job of window) {
      const held = this.slots.some((x) => x.worker && x.lang === job.lang);
      const starved = job.skipped > this.opts.size * WINDOW;
      const empty = idle.find((x) => !x.worker);
      if (empty && (!held || starved || this.queue.length > this.opts.size)) return [job, empty];
      if (!held || starved) {
        const other = idle.find((x) => x.worker && !window.some((j) => j.lang === x.lang));
        if (other) return [job, other];
        if (starved && idle[0]) return [job, idle[0]];
      }
      job.skipped++;
    }
    return null;
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    slot.busy = true;
    slot.current = job;
    try {
      if (slot.worker && slot.lang !== job.lang) {
        this.stats.languageSwitches++;
        await this.retire(slot);
      }
      if (!slot.worker) {
        slot.worker = await withTimeout(
          this.factory(job.lang),
          this.opts.startTimeoutMs,
          `Starting an OCR worker (${job.lang})`,
        );
        slot.lang = job.lang;
        slot.paramsKey = undefined;
        slot.jobs = 0;
        this.stats.started++;
        if (this.closed) throw new PoolClosedError();
      }
      const worker = slot.worker;
      if (slot.paramsKey !== job.key) {
        await worker.setParameters(job.params);
        slot.paramsKey = job.key;
        this.stats.reparameterised++;
      }
      const page = await withTimeout(worker.recognize(job.image), this.opts.jobTimeoutMs, 'OCR of one image');
      slot.jobs++;
      this.stats.completed++;
      job.resolve(page);
    } catch (err) {
      this.stats.failed++;
      job.reject(err);
      // A worker that failed or hung is not trusted with the next job.
      await this.retire(slot);
    } finally {
      slot.current = undefined;
      if (slot.worker && slot.jobs >= this.opts.maxJobsPerWorker) {
        this.stats.restarted++;
        await this.retire(slot);
      }
      slot.busy = false;
      this.pump();
    }
  }

  private async retire(slot: Slot): Promise<void> {
    const w = slot.worker;
    slot.worker = undefined;
    slot.lang = undefined;
    slot.paramsKey = undefined;
    slot.jobs = 0;
    if (w) await w.terminate().catch(() => undefined);
  }

  /** Rejects waiting jobs, lets jobs in flight finish (up to closeTimeoutMs), terminates every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new PoolClosedError());
    for (const wake of this.spaceWaiters.splice(0)) wake();
    const deadline = Date.now() + this.opts.closeTimeoutMs;
    while (this.slots.some((s) => s.busy) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const s of this.slots) s.current?.reject(new PoolClosedError());
    await Promise.all(this.slots.map((s) => this.retire(s)));
  }
}

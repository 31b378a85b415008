// Persistent LibreOffice workers for large batches: each worker is one `soffice --accept=socket`
// listener on 127.0.0.1 with its own profile, driven by a small python3-uno client (uno-client.py).
// A warm listener converts a .docx in ~0.05–0.15 s against ~1 s for a cold soffice, and documents
// of one template are combined into one conversion (combine.ts), which divides the fixed cost of a
// load and export by up to 20. A listener grows ~0.35 MB per load and can hang on a bad file, so
// each conversion has a hard timeout (the worker's process group is killed and restarted, the
// document gets an error, the batch goes on) and each worker is recycled every few hundred loads.
// LibreOfficeConverter (one soffice per batch) stays the simple fallback and does the non-PDF formats.
// Over 400 lines because a worker's whole life (start, convert, time out, recycle) is one state machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RunError } from '../errors.js';
import { type Combinable, combineDocx, inspectDocx, splitCombinedPdf } from './combine.js';
import {
  type ConvertResult,
  FONTCONFIG_FILE,
  findSoffice,
  LibreOfficeConverter,
  type PdfConverter,
} from './index.js';

export const UNO_CLIENT = resolve(dirname(fileURLToPath(import.meta.url)), 'uno-client.py');

// Debian's interpreter, not the first python3 on PATH: pyenv's has no `uno` module.
const PYTHON_CANDIDATES = ['/usr/bin/python3', '/bin/python3'];

export function findUnoPython(): string | undefined {
  const fromEnv = process.env.XIETONG_UNO_PYTHON;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return PYTHON_CANDIDATES.find((p) => existsSync(p));
}

export interface LibreOfficePoolOptions {
  /** Listeners to run; default min(2, cores). */
  workers?: number;
  /**
   * Hard limit for one document; on expiry the worker is killed and restarted. Default 30 s. A
   * combined conversion gets twice this (20 agreements take ~1 s): a document that hangs
   * LibreOffice holds its batch up for a minute, then costs only its own PDF.
   */
  timeoutMsPerDoc?: number;
  /** Hard limit for a listener to start and accept the client. Default 60 s. */
  startTimeoutMs?: number;
  /**
   * Restart a listener after this many conversions, before its memory creeps up; a combined
   * document counts once (memory grows per document loaded: ~0.35 MB per load, measured flat at
   * ~640 MB for two listeners over 2,000 agreements combined by 20). Default 300.
   */
  recycleAfter?: number;
  soffice?: string;
  /** A python3 that can `import uno`. Default /usr/bin/python3 (or XIETONG_UNO_PYTHON). */
  python?: string;
  /**
   * Most documents converted as one LibreOffice document when they come from the same template
   * (see combine.ts); 1 converts every document alone. Default 20.
   */
  combine?: number;
  /** Does the formats other than PDF. Default: a LibreOfficeConverter. */
  fallback?: PdfConverter;
}

export interface PoolStats {
  converted: number;
  failed: number;
  /** Listener starts, the first ones included. */
  starts: number;
  /** Restarts after a document timed out or a listener died. */
  crashes: number;
  /** Restarts because a listener reached `recycleAfter` conversions. */
  recycles: number;
  /** Documents converted inside a combined document. */
  combined: number;
  /** Combined conversions that failed, after which their documents were converted one by one. */
  combineFallbacks: number;
}

interface Job {
  input: string;
  output: string;
  /** Export bookmarks as named destinations (combined documents). */
  marks?: boolean;
}

/** What one listener converts in one go: one document, or several combined into one. */
interface Unit {
  indexes: number[];
  parts?: { template: Uint8Array; bodies: Combinable[] };
}

const BASE_ENV = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, FONTCONFIG_FILE, SAL_USE_VCLPLUGIN: 'svp' };
  // A pyenv or virtualenv setting would make /usr/bin/python3 look for its modules elsewhere.
  delete env.PYTHONHOME;
  delete env.PYTHONPATH;
  return env;
};

export class LibreOfficePool implements PdfConverter {
  readonly stats: PoolStats = {
    converted: 0,
    failed: 0,
    starts: 0,
    crashes: 0,
    recycles: 0,
    combined: 0,
    combineFallbacks: 0,
  };
  private readonly workers: Worker[];
  private readonly combine: number;
  private readonly fallback: PdfConverter;
  private closed = false;
  private readonly onExit = (): void => {
    for (const w of this.workers) w.killNow();
  };

  constructor(options: LibreOfficePoolOptions = {}) {
    const soffice = options.soffice ?? findSoffice();
    if (!soffice) {
      throw new RunError(
        'converterMissing',
        'LibreOffice (soffice) was not found; PDF output needs it. 未找到 LibreOffice，无法生成 PDF。',
        'Install it with `bash scripts/setup-system.sh` (Debian package libreoffice-writer-nogui), ' +
          'or set XIETONG_SOFFICE to the soffice binary.',
      );
    }
    const python = options.python ?? findUnoPython();
    if (!python) {
      throw new RunError(
        'converterMissing',
        'No python3 with the LibreOffice UNO bridge was found. 未找到带 uno 模块的 python3。',
        "Install Debian's python3-uno (`apt-get install python3-uno`), or set XIETONG_UNO_PYTHON to a " +
          'python3 that can `import uno`; or use the slower LibreOfficeConverter.',
      );
    }
    const count = Math.max(1, options.workers ?? Math.min(2, availableParallelism()));
    const settings: WorkerSettings = {
      soffice,
      python,
      timeoutMsPerDoc: options.timeoutMsPerDoc ?? 30_000,
      startTimeoutMs: options.startTimeoutMs ?? 60_000,
      recycleAfter: options.recycleAfter ?? 300,
      stats: this.stats,
    };
    this.workers = Array.from({ length: count }, (_, i) => new Worker(i, settings));
    this.combine = Math.max(1, Math.floor(options.combine ?? 20));
    this.fallback = options.fallback ?? new LibreOfficeConverter({ soffice });
    // A pool left open when the program ends must not leave listeners behind.
    process.once('exit', this.onExit);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Process group ids of the running listeners (for memory measurements). */
  processGroups(): number[] {
    return this.workers.flatMap((w) => (w.pgid === undefined ? [] : [w.pgid]));
  }

  /** Starts every listener now rather than on the first document (keeps start-up out of timings). */
  async warmUp(): Promise<void> {
    this.assertOpen();
    await Promise.all(this.workers.map((w) => w.exclusive(() => w.start())));
  }

  async toPdf(inputs: readonly string[], outDir: string): Promise<ConvertResult[]> {
    this.assertOpen();
    if (inputs.length === 0) return [];
    await mkdir(outDir, { recursive: true });
    const jobs: Job[] = inputs.map((input) => ({
      input: resolve(input),
      output: resolve(outDir, `${basename(input, extname(input))}.pdf`),
    }));
    const results: ConvertResult[] = new Array(inputs.length);
    const record = (i: number, error: string | undefined): void => {
      const input = inputs[i] as string;
      if (error === undefined) {
        this.stats.converted++;
        results[i] = { input, pdf: join(outDir, basename((jobs[i] as Job).output)) };
      } else {
        this.stats.failed++;
        results[i] = { input, error };
      }
    };
    const queue = await this.plan(jobs);
    const scratch = queue.some((u) => u.parts) ? await mkdtemp(join(tmpdir(), 'xietong-combine-')) : '';
    // Splitting a combined PDF runs while its listener converts the next unit.
    const splits: Promise<void>[] = [];
    const fallBack = (unit: Unit): void => {
      // One document may be what failed: convert each alone, so only that one gets the error.
      this.stats.combineFallbacks++;
      queue.unshift(...unit.indexes.map((i) => ({ indexes: [i] })));
    };
    const work = async (worker: Worker): Promise<void> => {
      for (let unit = queue.shift(); unit; unit = queue.shift()) {
        if (!unit.parts) {
          const i = unit.indexes[0] as number;
          record(i, await worker.exclusive(() => worker.convert(jobs[i] as Job)));
          continue;
        }
        const parts = unit.parts;
        const done = unit;
        const made = await worker.exclusive(() => worker.convertCombined(parts, scratch));
        if (typeof made === 'string') {
          fallBack(unit);
          continue;
        }
        const outputs = unit.indexes.map((i) => (jobs[i] as Job).output);
        splits.push(
          splitInto(made.pdf, outputs).then((error) => {
            if (error !== undefined) return fallBack(done);
            this.stats.combined += done.indexes.length;
            for (const i of done.indexes) record(i, undefined);
          }),
        );
      }
    };
    try {
      // Each worker takes the next unit when it is free: a slow document holds one listener only.
      do {
        await Promise.all(this.workers.map(work));
        await Promise.all(splits.splice(0));
      } while (queue.length > 0);
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
    return results;
  }

  convert(inputs: readonly string[], outDir: string, format: string): Promise<ConvertResult[]> {
    if (format === 'pdf') return this.toPdf(inputs, outDir);
    return this.fallback.convert(inputs, outDir, format);
  }

  /**
   * Groups documents that can be converted together (same template, see combine.ts) into units of
   * at most `combine`, spread so every listener gets a share; the rest are converted alone.
   */
  private async plan(jobs: readonly Job[]): Promise<Unit[]> {
    if (this.combine < 2 || jobs.length < 2) return jobs.map((_, i) => ({ indexes: [i] }));
    const groups = new Map<
      string,
      { template: Uint8Array; members: { index: number; part: Combinable }[] }
    >();
    const units: Unit[] = [];
    for (const [index, job] of jobs.entries()) {
      const bytes = /\.docx$/i.test(job.input) ? await readFile(job.input).catch(() => undefined) : undefined;
      const part = bytes ? inspectDocx(bytes) : undefined;
      if (!bytes || !part) {
        units.push({ indexes: [index] });
        continue;
      }
      const group = groups.get(part.key) ?? {
        template: bytes,
        members: [] as { index: number; part: Combinable }[],
      };
      group.members.push({ index, part });
      groups.set(part.key, group);
    }
    for (const { template, members } of groups.values()) {
      const size = Math.min(this.combine, Math.ceil(members.length / this.workers.length));
      for (let at = 0; at < members.length; at += size) {
        const slice = members.slice(at, at + size);
        units.push(
          slice.length === 1
            ? { indexes: [(slice[0] as { index: number }).index] }
            : { indexes: slice.map((m) => m.index), parts: { template, bodies: slice.map((m) => m.part) } },
        );
      }
    }
    return units;
  }

  /** Kills every listener's process group and removes the profiles. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    process.removeListener('exit', this.onExit);
    await Promise.all(this.workers.map((w) => w.dispose()));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('LibreOfficePool: used after close(); create a new pool');
  }
}

interface WorkerSettings {
  soffice: string;
  python: string;
  timeoutMsPerDoc: number;
  startTimeoutMs: number;
  recycleAfter: number;
  stats: PoolStats;
}

interface Reply {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  error?: string;
}

class Worker {
  pgid: number | undefined;
  private soffice: ChildProcess | undefined;
  private client: ChildProcess | undefined;
  private profile: string | undefined;
  private done = 0;
  private seq = 0;
  private combinedSeq = 0;
  private waiting: ((reply: Reply) => void) | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly index: number,
    private readonly s: WorkerSettings,
  ) {}

  /** Runs `task` after every earlier task of this worker: one document at a time per listener. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Converts documents combined into one (see combine.ts); returns the combined PDF, or why it
   * failed (the caller then converts the documents one by one).
   */
  async convertCombined(
    parts: { template: Uint8Array; bodies: Combinable[] },
    scratch: string,
  ): Promise<{ pdf: string } | string> {
    const input = join(scratch, `combined-${this.index}-${++this.combinedSeq}.docx`);
    const output = `${input.slice(0, -'.docx'.length)}.pdf`;
    try {
      await writeFile(input, combineDocx(parts.template, parts.bodies));
      const error = await this.convert({ input, output, marks: true }, parts.bodies.length);
      return error ?? { pdf: output };
    } catch (err) {
      return `combined document could not be written: ${(err as Error).message}`;
    } finally {
      await rm(input, { force: true });
    }
  }

  /**
   * Converts one document (`docs` > 1: a combined one, with twice the time limit);
   * returns undefined on success, else the error to report for it.
   */
  async convert(job: Job, docs = 1): Promise<string | undefined> {
    if (this.client && this.done >= this.s.recycleAfter) {
      this.s.stats.recycles++;
      await this.stop();
    }
    if (!this.client) {
      try {
        await this.start();
      } catch (err) {
        return `LibreOffice listener did not start: ${(err as Error).message}`;
      }
    }
    await rm(job.output, { force: true });
    const id = ++this.seq;
    const reply = await this.request({ id, ...job }, this.s.timeoutMsPerDoc * (docs > 1 ? 2 : 1));
    this.done++;
    if (reply.ok) {
      const made = await stat(job.output).catch(() => undefined);
      return made && made.size > 0
        ? undefined
        : `LibreOffice reported success but wrote no ${basename(job.output)}`;
    }
    if (reply.error?.startsWith('timeout') || reply.error?.startsWith('listener')) {
      // A hung or dead listener is no use for the next document: kill it, start afresh on demand.
      this.s.stats.crashes++;
      await this.stop();
      await rm(job.output, { force: true });
    }
    return reply.error ?? 'LibreOffice failed without a message';
  }

  async start(): Promise<void> {
    if (this.client) return;
    this.profile ??= await mkdtemp(join(tmpdir(), `xietong-lo-pool${this.index}-`));
    const port = await freePort();
    this.s.stats.starts++;
    this.soffice = spawn(
      this.s.soffice,
      [
        '--headless',
        '--invisible',
        '--nocrashreport',
        '--nodefault',
        '--nologo',
        '--norestore',
        '--nolockcheck',
        `-env:UserInstallation=${pathToFileURL(this.profile).href}`,
        // Only the loopback interface: the UNO bridge has no authentication.
        `--accept=socket,host=127.0.0.1,port=${port};urp;StarOffice.ComponentContext`,
      ],
      // Own process group: soffice forks oosplash and soffice.bin, and a kill must reach all.
      { detached: true, stdio: 'ignore', env: BASE_ENV() },
    );
    this.pgid = this.soffice.pid;
    const soffice = this.soffice;
    soffice.on('exit', () => {
      if (this.soffice === soffice) this.fail('listener exited');
    });
    soffice.on('error', () => this.fail('listener could not be started'));

    this.client = spawn(this.s.python, [UNO_CLIENT, String(port), String(this.s.startTimeoutMs / 1000)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: BASE_ENV(),
    });
    const client = this.client;
    let stderr = '';
    client.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    client.on('exit', () => {
      if (this.client === client) this.fail(`listener client exited ${stderr.trim().slice(-300)}`);
    });
    client.on('error', (err) => this.fail(`listener client could not be started: ${err.message}`));
    client.stdin?.on('error', () => {}); // EPIPE after a kill: the exit handler reports it
    createInterface({ input: client.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let reply: Reply;
      try {
        reply = JSON.parse(line) as Reply;
      } catch {
        return; // stray output from LibreOffice's python bindings
      }
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.(reply);
    });

    const ready = await this.wait(this.s.startTimeoutMs + 5_000);
    if (!ready.ready) {
      await this.stop();
      throw new Error(ready.error ?? 'no answer from the UNO client');
    }
    this.done = 0;
  }

  private request(job: Job & { id: number }, timeoutMs: number): Promise<Reply> {
    const reply = this.wait(timeoutMs);
    this.client?.stdin?.write(`${JSON.stringify(job)}\n`);
    return reply;
  }

  private wait(timeoutMs: number): Promise<Reply> {
    return new Promise((resolveReply) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolveReply({ ok: false, error: `timeout: LibreOffice took longer than ${timeoutMs / 1000} s` });
      }, timeoutMs);
      this.waiting = (reply) => {
        clearTimeout(timer);
        resolveReply(reply);
      };
    });
  }

  private fail(why: string): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ ok: false, error: `${why.startsWith('listener') ? '' : 'listener: '}${why}` });
  }

  /** Kills the listener's process group and its client; the profile stays for the next start. */
  async stop(): Promise<void> {
    const soffice = this.soffice;
    const client = this.client;
    this.soffice = undefined;
    this.client = undefined;
    this.killNow(soffice, client);
    this.pgid = undefined;
    await Promise.all([exited(soffice), exited(client)]);
    // soffice.bin is a grandchild: the group outlives the leader until init has reaped it.
    if (soffice?.pid !== undefined) await groupGone(soffice.pid, 3_000);
  }

  killNow(soffice = this.soffice, client = this.client): void {
    if (soffice?.pid !== undefined && soffice.exitCode === null) {
      try {
        process.kill(-soffice.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (client && client.exitCode === null) client.kill('SIGKILL');
  }

  async dispose(): Promise<void> {
    await this.exclusive(async () => {
      await this.stop();
      if (this.profile) await rm(this.profile, { recursive: true, force: true });
      this.profile = undefined;
    });
  }
}

/** Cuts a combined PDF into `outputs` and removes it; returns why when it cannot. */
async function splitInto(combined: string, outputs: readonly string[]): Promise<string | undefined> {
  try {
    const pdfs = await splitCombinedPdf(await readFile(combined), outputs.length);
    await Promise.all(pdfs.map((pdf, i) => writeFile(outputs[i] as string, pdf)));
    return undefined;
  } catch (err) {
    return `combined PDF could not be split: ${(err as Error).message}`;
  } finally {
    await rm(combined, { force: true });
  }
}

function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(done, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

async function groupGone(pgid: number, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A port free on the loopback interface right now (the listener binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

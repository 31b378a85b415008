// Runs prepareAndLocate on a worker thread. Why: the OCR workers are fed by the main thread, one
// job at a time per worker; while the main thread was busy preparing the next page (~0.8 s of
// synchronous pixel work) both OCR workers sat idle, and a batch took 43 s where its OCR alone
// needs 29 s of CPU. With the pixel work on its own thread the main thread only dispatches.
// One thread, pages in order; it does not keep the process alive while idle; if it cannot start
// (or dies), the work is done inline, so reading never depends on it.
import { Worker } from 'node:worker_threads';
import { type PageLayout, prepareAndLocate } from './layout.js';

const ENTRY = new URL('./layout-thread-entry.mjs', import.meta.url);

interface Pending {
  image: Buffer;
  resolve(layout: PageLayout): void;
  reject(err: Error): void;
}

export class OffThreadLayout {
  private worker: Worker | undefined;
  private broken = false;
  private seq = 0;
  private delivered = 0;
  private readonly pending = new Map<number, Pending>();

  /** `entry`: the thread's script (tests give a broken one to see the inline fallback). */
  constructor(private readonly entry: URL = ENTRY) {}

  /** Pages sent and not yet answered. */
  get waiting(): number {
    return this.pending.size;
  }

  async run(image: Buffer): Promise<PageLayout> {
    const worker = this.broken ? undefined : this.start();
    if (!worker) return prepareAndLocate(image);
    const id = ++this.seq;
    const done = new Promise<PageLayout>((resolve, reject) =>
      this.pending.set(id, { image, resolve, reject }),
    );
    if (this.pending.size === 1) worker.ref();
    // A copy: the caller keeps its buffer (the page image is also hashed and written as crops).
    worker.postMessage({ id, image: new Uint8Array(image) });
    return done;
  }

  /** Ends the thread; later calls start a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(this.entry);
    } catch {
      this.broken = true;
      return undefined;
    }
    worker.unref();
    worker.on('message', (msg: { id: number; layout?: PageLayout; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) worker.unref();
      this.delivered++;
      if (msg.layout) p.resolve(msg.layout);
      else p.reject(new Error(msg.error ?? 'the layout thread failed'));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      if (this.delivered === 0) {
        // It never answered: the thread cannot run here (no tsx, no workers). Stay inline.
        this.broken = true;
        for (const p of waiting) prepareAndLocate(p.image).then(p.resolve, p.reject);
        return;
      }
      // It died on a page (out of memory on a huge image, say): those pages fail, the batch goes on.
      for (const p of waiting) p.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(new Error(`the layout thread exited (code ${code})`));
      else if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}

/** A few layout threads; each page goes to the one with the least work waiting. */
export class LayoutThreads {
  private readonly threads: OffThreadLayout[];

  constructor(count: number, entry?: URL) {
    this.threads = Array.from({ length: Math.max(1, count) }, () => new OffThreadLayout(entry));
  }

  run(image: Buffer): Promise<PageLayout> {
    const idlest = this.threads.reduce((a, b) => (b.waiting < a.waiting ? b : a));
    return idlest.run(image);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

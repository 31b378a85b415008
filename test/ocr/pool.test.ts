import { describe, expect, it } from 'vitest';
import { PoolClosedError, type PoolWorker, type RawPage, WorkerPool } from '../../src/ocr/pool.js';
import { paramsFor, TesseractEngine } from '../../src/ocr/tesseract.js';
import type { OcrLang } from '../../src/ocr/types.js';

/** A fake tesseract worker: answers with the language and PSM it holds when the job runs. */
function fakeWorkers(opts: { delayMs?: number; failOn?: string; hangOn?: string } = {}) {
  const log: string[] = [];
  let n = 0;
  const factory = async (lang: OcrLang): Promise<PoolWorker> => {
    const id = ++n;
    log.push(`start ${id} ${lang}`);
    let psm = '';
    let whitelist = '';
    return {
      setParameters: async (p) => {
        psm = p.tessedit_pageseg_mode ?? psm;
        whitelist = p.tessedit_char_whitelist ?? whitelist;
        log.push(`set ${id} ${psm}`);
      },
      recognize: async (image): Promise<RawPage> => {
        const name = image.toString();
        if (name === opts.hangOn) return new Promise<RawPage>(() => undefined);
        await new Promise((r) => setTimeout(r, opts.delayMs ?? 2));
        if (name === opts.failOn) throw new Error(`worker ${id} crashed on ${name}`);
        return { text: `${name}|${lang}|${psm}|${whitelist ? 'wl' : ''}|w${id}`, confidence: 90, blocks: [] };
      },
      terminate: async () => {
        log.push(`stop ${id}`);
      },
    };
  };
  return { factory, log };
}

const base = {
  maxJobsPerWorker: 1000,
  maxQueue: 1000,
  jobTimeoutMs: 5000,
  startTimeoutMs: 5000,
  closeTimeoutMs: 1000,
};
const img = (s: string) => Buffer.from(s);

describe('WorkerPool routing', () => {
  it('runs each job on a worker holding its language and PSM', async () => {
    const { factory } = fakeWorkers();
    const pool = new WorkerPool(factory, { ...base, size: 2 });
    try {
      const modes = ['line', 'block', 'line', 'digits', 'block', 'line', 'digits', 'block'] as const;
      const results = await Promise.all(
        modes.map((m, i) => pool.submit(img(`job${i}`), m === 'digits' ? 'eng' : 'chi_sim', paramsFor(m))),
      );
      results.forEach((r, i) => {
        const [name, lang, psm, wl] = r.text.split('|');
        const mode = modes[i];
        expect(name).toBe(`job${i}`);
        expect(lang).toBe(mode === 'digits' ? 'eng' : 'chi_sim');
        expect(psm).toBe(mode === 'block' ? '6' : '7');
        expect(wl).toBe(mode === 'digits' ? 'wl' : '');
      });
    } finally {
      await pool.close();
    }
  });

  it('keeps workers specialised instead of switching PSM on every job', async () => {
    const { factory } = fakeWorkers();
    const pool = new WorkerPool(factory, { ...base, size: 2 });
    try {
      const jobs = Array.from({ length: 40 }, (_, i) =>
        pool.submit(img(`j${i}`), 'chi_sim', paramsFor(i % 2 ? 'block' : 'line')),
      );
      await Promise.all(jobs);
      expect(pool.stats.completed).toBe(40);
      expect(pool.stats.started).toBe(2);
      // One set-up per worker, plus at most a few changes when the queue runs dry.
      expect(pool.stats.reparameterised).toBeLessThanOrEqual(4);
    } finally {
      await pool.close();
    }
  });

  it('restarts a worker after maxJobsPerWorker jobs', async () => {
    const { factory, log } = fakeWorkers();
    const pool = new WorkerPool(factory, { ...base, size: 1, maxJobsPerWorker: 3 });
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => pool.submit(img(`j${i}`), 'chi_sim', paramsFor('line'))),
      );
      expect(pool.stats.started).toBe(4);
      expect(pool.stats.restarted).toBe(3);
      expect(log.filter((l) => l.startsWith('stop'))).toHaveLength(3);
    } finally {
      await pool.close();
    }
  });

  it('applies backpressure: submit waits while the queue is full', async () => {
    const { factory } = fakeWorkers({ delayMs: 30 });
    const pool = new WorkerPool(factory, { ...base, size: 1, maxQueue: 2 });
    try {
      const all = Array.from({ length: 6 }, (_, i) =>
        pool.submit(img(`j${i}`), 'chi_sim', paramsFor('line')),
      );
      let maxQueued = 0;
      const timer = setInterval(() => {
        maxQueued = Math.max(maxQueued, pool.queued);
      }, 1);
      await Promise.all(all);
      clearInterval(timer);
      expect(maxQueued).toBeLessThanOrEqual(2);
      expect(pool.stats.completed).toBe(6);
    } finally {
      await pool.close();
    }
  });

  it('fails only the job that crashed its worker, and replaces the worker', async () => {
    const { factory, log } = fakeWorkers({ failOn: 'bad' });
    const pool = new WorkerPool(factory, { ...base, size: 1 });
    try {
      const [a, b, c] = await Promise.allSettled([
        pool.submit(img('ok1'), 'chi_sim', paramsFor('line')),
        pool.submit(img('bad'), 'chi_sim', paramsFor('line')),
        pool.submit(img('ok2'), 'chi_sim', paramsFor('line')),
      ]);
      expect(a.status).toBe('fulfilled');
      expect(b.status).toBe('rejected');
      expect(String((b as PromiseRejectedResult).reason)).toMatch(/crashed on bad/);
      expect(c.status).toBe('fulfilled');
      expect((c as PromiseFulfilledResult<RawPage>).value.text).toMatch(/\|w2$/);
      expect(log).toContain('stop 1');
    } finally {
      await pool.close();
    }
  });

  it('times out a hung job and carries on with a new worker', async () => {
    const { factory } = fakeWorkers({ hangOn: 'hang' });
    const pool = new WorkerPool(factory, { ...base, size: 1, jobTimeoutMs: 50 });
    try {
      await expect(pool.submit(img('hang'), 'chi_sim', paramsFor('line'))).rejects.toThrow(/timed out/);
      await expect(pool.submit(img('next'), 'chi_sim', paramsFor('line'))).resolves.toMatchObject({
        text: expect.stringMatching(/^next/),
      });
      expect(pool.stats.started).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('close() rejects waiting jobs, terminates workers, and refuses new work', async () => {
    const { factory, log } = fakeWorkers({ delayMs: 20 });
    const pool = new WorkerPool(factory, { ...base, size: 1 });
    const jobs = Array.from({ length: 4 }, (_, i) => pool.submit(img(`j${i}`), 'chi_sim', paramsFor('line')));
    const settling = Promise.allSettled(jobs);
    await new Promise((r) => setTimeout(r, 5));
    await pool.close();
    const settled = await settling;
    expect(settled.filter((s) => s.status === 'rejected').length).toBeGreaterThanOrEqual(3);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(PoolClosedError);
    expect(log.at(-1)).toBe('stop 1');
    await expect(pool.submit(img('late'), 'chi_sim', paramsFor('line'))).rejects.toBeInstanceOf(
      PoolClosedError,
    );
  });

  it('rejects a nonsense pool size with a clear message', () => {
    expect(() => new WorkerPool(fakeWorkers().factory, { ...base, size: 0 })).toThrow(
      /positive integer.*received 0/,
    );
  });
});

describe('TesseractEngine over fake workers', () => {
  it('post-processes text, scales confidence, maps words, routes digits to eng', async () => {
    const engine = new TesseractEngine({
      workers: 1,
      factory: async (lang) => ({
        setParameters: async () => undefined,
        recognize: async () => ({
          text: lang === 'eng' ? '138 0798 1234\n' : '王 建 国\n',
          confidence: 87,
          blocks: [
            {
              paragraphs: [
                {
                  lines: [
                    { words: [{ text: '王', confidence: 91, bbox: { x0: 1, y0: 2, x1: 11, y1: 22 } }] },
                  ],
                },
              ],
            },
          ],
        }),
        terminate: async () => undefined,
      }),
    });
    try {
      const r = await engine.recognize(img('x'), { mode: 'line' });
      expect(r).toMatchObject({ text: '王建国', confidence: 0.87, raw: '王 建 国\n' });
      expect(r.words).toEqual([{ text: '王', confidence: 0.91, box: { x: 1, y: 2, w: 10, h: 20 } }]);
      const d = await engine.recognize(img('y'), { mode: 'digits' });
      expect(d.text).toBe('138 0798 1234');
      expect(engine.workers[0]?.lang).toBe('eng');
      await expect(engine.recognize(Buffer.alloc(0), { mode: 'line' })).rejects.toThrow(
        /non-empty image Buffer/,
      );
    } finally {
      await engine.close();
      await engine.close();
    }
  });

  it('gives confidence 0 when nothing was read', async () => {
    const engine = new TesseractEngine({
      workers: 1,
      factory: async () => ({
        setParameters: async () => undefined,
        recognize: async () => ({ text: ' \n', confidence: 95, blocks: [] }),
        terminate: async () => undefined,
      }),
    });
    try {
      expect(await engine.recognize(img('x'), { mode: 'line' })).toMatchObject({ text: '', confidence: 0 });
    } finally {
      await engine.close();
    }
  });
});

describe('WorkerPool.warm', () => {
  it('starts every worker before the first job and the jobs then use them', async () => {
    const { factory, log } = fakeWorkers();
    const pool = new WorkerPool(factory, { ...base, size: 2 });
    try {
      pool.warm('chi_sim');
      pool.warm('chi_sim'); // a second call while starting changes nothing
      await new Promise((r) => setTimeout(r, 20));
      expect(log).toEqual(['start 1 chi_sim', 'start 2 chi_sim']);
      expect(pool.workers.map((w) => w.lang)).toEqual(['chi_sim', 'chi_sim']);
      const r = await pool.submit(img('a'), 'chi_sim', paramsFor('line'));
      expect(r.text.startsWith('a|chi_sim|7')).toBe(true);
      expect(log.filter((l) => l.startsWith('start'))).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });

  it('leaves a worker that fails to start empty, and the first job starts it again', async () => {
    let calls = 0;
    const { factory: good } = fakeWorkers();
    const flaky = async (lang: OcrLang): Promise<PoolWorker> => {
      calls++;
      if (calls === 1) throw new Error('model file unreadable');
      return good(lang);
    };
    const pool = new WorkerPool(flaky, { ...base, size: 1 });
    try {
      pool.warm('chi_sim');
      await new Promise((r) => setTimeout(r, 20));
      expect(pool.workers[0]?.lang).toBeUndefined();
      const r = await pool.submit(img('b'), 'chi_sim', paramsFor('line'));
      expect(r.text.startsWith('b|chi_sim')).toBe(true);
      expect(calls).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('terminates a worker that finishes starting after the pool was closed', async () => {
    const { factory, log } = fakeWorkers();
    const slow = async (lang: OcrLang) => {
      await new Promise((r) => setTimeout(r, 30));
      return factory(lang);
    };
    const pool = new WorkerPool(slow, { ...base, size: 1 });
    pool.warm('chi_sim');
    await pool.close();
    await new Promise((r) => setTimeout(r, 60));
    expect(log).toEqual(['start 1 chi_sim', 'stop 1']);
  });
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { PageLayout } from '../../src/read/layout.js';
import { prepareAndLocate } from '../../src/read/layout.js';
import { LayoutThreads, OffThreadLayout } from '../../src/read/off-thread.js';

const SCAN = readFileSync('samples/scans/reg-05-p1.png');
const digest = (l: PageLayout) => ({
  page: createHash('sha256').update(l.prepared.page.data).digest('hex'),
  size: [l.prepared.page.width, l.prepared.page.height],
  cells: l.grid?.cells.map((c) => c.box),
  orientation: l.prepared.steps.orientation?.angle,
});

describe('page layout on a worker thread', () => {
  const threads = new LayoutThreads(2);
  afterAll(() => threads.close());

  it('gives exactly what the calling thread computes', async () => {
    const inline = await prepareAndLocate(SCAN);
    const [a, b] = await Promise.all([threads.run(SCAN), threads.run(SCAN)]);
    expect(inline.grid?.cells.length).toBeGreaterThan(10);
    expect(digest(a as PageLayout)).toEqual(digest(inline));
    expect(digest(b as PageLayout)).toEqual(digest(inline));
  });

  it('leaves the caller its image buffer', async () => {
    const copy = Buffer.from(SCAN);
    await threads.run(copy);
    expect(copy.equals(SCAN)).toBe(true);
  });

  it('falls back to the calling thread when the thread cannot start', async () => {
    const broken = new OffThreadLayout(new URL('./no-such-entry.mjs', import.meta.url));
    try {
      const layout = await broken.run(SCAN);
      expect(layout.grid?.cells.length).toBeGreaterThan(10);
      expect(broken.waiting).toBe(0);
    } finally {
      await broken.close();
    }
  });

  it('reports a page it could not decode as an error, and goes on with the next', async () => {
    const t = new OffThreadLayout();
    try {
      await expect(t.run(Buffer.from('not an image'))).rejects.toThrow();
      const layout = await t.run(SCAN);
      expect(layout.grid).toBeDefined();
    } finally {
      await t.close();
    }
  });
});

// Worker-thread side of off-thread.ts: one job at a time, pixels sent back by transfer (no copy).
import { parentPort } from 'node:worker_threads';
import type { Raster } from '../prepare/index.js';
import { prepareAndLocate } from './layout.js';

interface Job {
  id: number;
  image: Uint8Array;
}

/** The ArrayBuffer behind a raster, when the raster owns all of it (a shared pool slab is copied). */
function ownBuffer(r: Raster | undefined): ArrayBuffer[] {
  const d = r?.data;
  if (d === undefined || d.byteOffset !== 0 || d.byteLength !== d.buffer.byteLength) return [];
  return d.buffer instanceof ArrayBuffer ? [d.buffer] : [];
}

parentPort?.on('message', async (job: Job) => {
  try {
    const layout = await prepareAndLocate(
      Buffer.from(job.image.buffer, job.image.byteOffset, job.image.byteLength),
    );
    const transfer = [...new Set([...ownBuffer(layout.prepared.page), ...ownBuffer(layout.prepared.colour)])];
    parentPort?.postMessage({ id: job.id, layout }, transfer);
  } catch (err) {
    parentPort?.postMessage({ id: job.id, error: (err as Error)?.message ?? String(err) });
  }
});

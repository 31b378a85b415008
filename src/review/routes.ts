// The review page's routes: the queue, a record, a field's crop, a correction, an approval. Added
// to an app whose guard (./guard.ts) has already checked host, token and origin: `xietong review`
// serves them alone, the workbench (`xietong serve`) beside its other views. The page talks to the
// store through the same RecordStore interface and zod schemas as the CLI, so a correction from the
// page and one from `xietong store correct` are the same thing.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Hono } from 'hono';
import sharp from 'sharp';
import { z } from 'zod';
import { FORMS, fieldDef } from '../forms/index.js';
import { titleOf } from '../store/index.js';
import { ActorSchema, CorrectionInputSchema, type RecordStore } from '../store/types.js';
import { valueFromText } from '../store/values.js';
import { err, pageNonce, storeErrorResponse, validJson } from './guard.js';
import { reviewPage } from './page.js';
import { reviewQueue } from './queue.js';
import { PAGE_SOURCE, type QueueEntry, recordView, versionOf } from './view.js';

export interface ReviewRoutesOptions {
  store: RecordStore;
  /** Who reviews: fills the page's 核对人 field. */
  by?: string;
  /** Where the page itself is served. */
  pagePath: string;
  /** The workbench's address, for a link back to it (none when the page is served alone). */
  home?: string;
  /** The workbench's tabs, shown on the page when the workbench serves it. */
  tabs?: { html: string; style: string };
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

export const ApproveInputSchema = z.object({
  by: ActorSchema.shape.by,
  note: z.string().trim().max(500).optional(),
  /** The record's version as the page showed it: approving what someone else changed meanwhile is refused. */
  version: z.string().min(1).max(100),
});

/** The page always says which value it saw: a correction over another reviewer's change is a conflict. */
const PageCorrectionSchema = CorrectionInputSchema.required({ expected: true });

export function addReviewRoutes(app: Hono, options: ReviewRoutesOptions): void {
  const { store } = options;
  // Records shown once stay in the list until approved, even when every flagged field has been
  // corrected (the store's queue drops them then) — the reviewer still has to approve them.
  let order: string[] = [];

  app.get(options.pagePath, (c) => {
    const nonce = pageNonce(c);
    return c.html(reviewPage({ nonce, by: options.by ?? '', home: options.home, tabs: options.tabs }));
  });

  app.get('/api/queue', async (c) => {
    const queue = await reviewQueue(store);
    const inQueue = new Map(queue.map((q) => [q.id, q]));
    const left = order.filter((id) => !inQueue.has(id));
    const pending = new Map(
      (left.length ? await store.listRecords({ ids: left, status: 'pending' }) : []).map((r) => [r.id, r]),
    );
    const known = new Set(order);
    order = [
      ...order.filter((id) => inQueue.has(id) || pending.has(id)),
      ...queue.map((q) => q.id).filter((id) => !known.has(id)),
    ];
    const entries: QueueEntry[] = order.map((id) => {
      const q = inQueue.get(id);
      if (q) {
        return {
          id,
          form: q.form,
          formName: FORMS[q.form].shortName,
          title: q.title,
          flagged: q.fields.length,
          minConfidence: q.minConfidence,
          status: 'pending',
        };
      }
      const r = pending.get(id);
      if (!r) throw new Error(`unreachable: ${id}`);
      return {
        id,
        form: r.form,
        formName: FORMS[r.form].shortName,
        title: titleOf(r),
        flagged: 0,
        minConfidence: 1,
        status: r.status,
      };
    });
    return c.json({ records: entries });
  });

  app.get('/api/records/:id', async (c) => {
    const view = await recordView(store, c.req.param('id'));
    if (!view) return c.json(err('record_not_found', '找不到记录', 'No such record'), 404);
    return c.json(view);
  });

  app.get('/crop/:id/:key', async (c) => {
    // Only a path the store holds for this field: the URL names a field, never a file.
    const record = await store.getRecord(c.req.param('id'));
    const crop = record?.fields[c.req.param('key')]?.read?.crop;
    const type = crop ? IMAGE_TYPES[extname(crop).toLowerCase()] : undefined;
    if (!crop || !type) return c.text('404 没有该字段的原图 / no crop for this field', 404);
    const path = isAbsolute(crop) ? crop : resolve(dirname(store.location), crop);
    try {
      const body = await readFile(path);
      return c.body(new Uint8Array(body), 200, { 'Content-Type': type });
    } catch {
      return c.text('404 原图文件不存在 / crop file missing', 404);
    }
  });

  app.get('/page/:id/:index', async (c) => {
    // Only a page the store holds for this record: the URL names a record and a number, never a file.
    const record = await store.getRecord(c.req.param('id'));
    const source = record?.sources[Number(c.req.param('index'))];
    if (!source || !PAGE_SOURCE.test(source.file)) return c.text('404 没有这一页的原图 / no page image', 404);
    // Ingest names a file under the working folder relatively (as the clerk typed it), others whole.
    const path = isAbsolute(source.file)
      ? source.file
      : [resolve(source.file), resolve(dirname(store.location), source.file)].find((p) => existsSync(p));
    try {
      if (!path) throw new Error('gone');
      return c.body(new Uint8Array(await pageImage(path, source.page ?? 1)), 200, {
        'Content-Type': 'image/png',
      });
    } catch {
      return c.text('404 原件已不在原处（移动或删除了？）/ the scanned file is gone', 404);
    }
  });

  app.post('/api/records/:id/fields/:key', validJson(PageCorrectionSchema, '更正内容'), async (c) => {
    const id = c.req.param('id');
    const key = c.req.param('key');
    const parsed = { data: c.req.valid('json') };
    const record = await store.getRecord(id);
    if (!record) return c.json(err('record_not_found', `找不到记录 ${id}。`, `No record ${id}.`), 404);
    // A photo's value is the path of its crop: not something to point at another file from a page.
    if (fieldDef(record.form, key)?.kind === 'photo') {
      return c.json(err('invalid_input', '照片字段不能在此更改。', 'The photo cannot be changed here.'), 400);
    }
    let value = parsed.data.value;
    let notes: string[] = [];
    // The page posts what was typed; the store holds the normal form (1985年3月 → 1985-03).
    if (typeof value === 'string') {
      const fromText = valueFromText(record.form, key, value);
      if (!fromText.ok) return c.json(err('invalid_value', fromText.message, fromText.messageEn), 400);
      value = fromText.value;
      notes = fromText.notes;
    }
    try {
      const correction = await store.correctField(id, key, { ...parsed.data, value });
      const view = await recordView(store, id);
      return c.json({
        correction,
        notes,
        field: view?.fields.find((f) => f.key === key),
        status: view?.status,
        version: view?.version,
      });
    } catch (e) {
      return storeErrorResponse(c, e, async () => {
        const now = await store.getRecord(id);
        return { current: now?.fields[key]?.value ?? null };
      });
    }
  });

  app.post('/api/records/:id/approve', validJson(ApproveInputSchema, '核对内容'), async (c) => {
    const id = c.req.param('id');
    const parsed = { data: c.req.valid('json') };
    const record = await store.getRecord(id);
    if (!record) return c.json(err('record_not_found', `找不到记录 ${id}。`, `No record ${id}.`), 404);
    if (versionOf(record) !== parsed.data.version) {
      return c.json(
        err(
          'conflict',
          '这份记录在您打开后已被他人修改，请查看最新内容后再核对通过。',
          'The record changed since you loaded it: look at it again before approving.',
        ),
        409,
      );
    }
    try {
      const review = await store.approveRecord(id, { by: parsed.data.by, note: parsed.data.note });
      return c.json({ review });
    } catch (e) {
      return storeErrorResponse(c, e);
    }
  });
}

/** Wide enough to read a form's small print on a laptop, small enough to send at once. */
const PAGE_WIDTH = 1600;

/** One page of a scan as a PNG for the browser: an image as it is (scaled), a PDF page rasterised. */
async function pageImage(path: string, page: number): Promise<Buffer> {
  if (/\.pdf$/i.test(path)) {
    const { stdout } = await promisify(execFile)(
      'pdftoppm',
      ['-f', String(page), '-l', String(page), '-r', '110', '-png', '-singlefile', path],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    );
    return sharp(stdout).resize({ width: PAGE_WIDTH, withoutEnlargement: true }).png().toBuffer();
  }
  return sharp(path, { page: Math.max(0, page - 1) })
    .rotate()
    .resize({ width: PAGE_WIDTH, withoutEnlargement: true })
    .png()
    .toBuffer();
}

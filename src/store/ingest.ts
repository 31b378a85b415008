// Ingest into the store so that a run can be killed and started again. Typed .docx forms are
// self-contained: each is ingested and saved on its own (one transaction per submission), so a
// killed run keeps every file finished before it. Scanned pages may combine across files (page 2
// in the next photo), so they go through one ingest call; each page read is journalled in the
// store, and a restarted run takes those readings instead of paying for OCR again. Ids come from
// file content, so the second run ends with the same records as one clean run, none twice.

import type { PageReading } from '../ingest/assemble.js';
import { linkCopies } from '../ingest/copies.js';
import {
  type IngestOptions,
  type IngestProgress,
  type IngestResult,
  ingest,
  type ScanReader,
} from '../ingest/index.js';
import { discover, type PageImage } from '../ingest/intake.js';
import type { SubmissionRecord } from '../types.js';
import type { EngineInfo, IngestJournal, PutSummary, RecordStore } from './types.js';

export interface StoreIngestOptions {
  store: RecordStore & Partial<IngestJournal>;
  /** Passed on to ingest(); the reader and progress are handled here. */
  ingest?: Omit<IngestOptions, 'reader' | 'onProgress'>;
  reader?: ScanReader;
  /** Names the reader's model in the page journal: a journalled page is reused only by the same model. */
  readerModel?: string;
  /** The OCR engine's identity, asked once pages have been read (the engine starts lazily). */
  ocrInfo?: () => EngineInfo | undefined;
  onProgress?: (p: IngestProgress) => void;
  /** Folder the reader's crop paths are relative to (see IngestMeta.cropBase). */
  cropBase?: string;
}

export interface StoreIngestResult extends IngestResult {
  stored: PutSummary;
  runId?: number;
}

const isDocxPath = (f: string) => /\.docx$/i.test(f);

export async function ingestIntoStore(
  paths: readonly string[],
  options: StoreIngestOptions,
): Promise<StoreIngestResult> {
  const started = Date.now();
  const { store } = options;
  const { files, failures } = await discover(paths);
  const runId = await store.startRun?.({ paths });
  const docx = files.filter(isDocxPath);
  const scans = files.filter((f) => !isDocxPath(f));
  const stored: PutSummary = { inserted: 0, updated: 0, unchanged: 0, outcomes: [] };
  const add = (s: PutSummary) => {
    stored.inserted += s.inserted;
    stored.updated += s.updated;
    stored.unchanged += s.unchanged;
    stored.outcomes.push(...s.outcomes);
  };
  let pages = 0;
  const outcomes: IngestResult['pages'] = [];
  const fromDocx: SubmissionRecord[] = [];
  const pagesTotal = scans.length === 0 ? docx.length : undefined;

  for (const file of docx) {
    const r = await ingest([file], { ...options.ingest });
    failures.push(...r.failures);
    outcomes.push(...r.pages);
    pages += r.stats.pages;
    add(await store.putIngestResult(r, { runId, relink: false }));
    fromDocx.push(...r.submissions);
    options.onProgress?.({ phase: 'page', file, pagesDone: pages, pagesTotal });
  }

  const fromScans: SubmissionRecord[] = [];
  if (scans.length > 0) {
    const journal = options.reader
      ? journalled(options.reader, store, options.readerModel ?? 'default')
      : undefined;
    const before = pages;
    const r = await ingest(scans, {
      ...options.ingest,
      reader: journal?.reader,
      onProgress: (p) =>
        options.onProgress?.({
          ...p,
          pagesDone: before + p.pagesDone,
          pagesTotal: p.pagesTotal === undefined ? undefined : before + p.pagesTotal,
        }),
    });
    failures.push(...r.failures);
    outcomes.push(...r.pages);
    pages += r.stats.pages;
    add(
      await store.putIngestResult(r, {
        runId,
        relink: false,
        ocr: options.ocrInfo?.(),
        cropBase: options.cropBase,
      }),
    );
    fromScans.push(...r.submissions);
    // The records are saved: their pages need not be remembered any longer.
    if (journal) await store.journalClear?.([...journal.files]);
  }

  await store.relinkCopies();
  // records.json as one ingest() over all paths would give it: scans first, copies linked across all.
  const submissions = linkCopies(
    [...fromScans, ...fromDocx].map(({ copyOf: _, ...r }) => ({
      ...r,
      issues: r.issues.filter((i) => i.code !== 'duplicate_copy'),
    })),
  );
  const stats = { files: files.length, pages, seconds: (Date.now() - started) / 1000 };
  if (runId !== undefined) {
    await store.finishRun?.(
      runId,
      {
        ...stats,
        inserted: stored.inserted,
        updated: stored.updated,
        unchanged: stored.unchanged,
        failures: failures.length,
      },
      scans.length > 0 ? options.ocrInfo?.() : undefined,
    );
  }
  options.onProgress?.({ phase: 'done', pagesDone: pages, pagesTotal: pages });
  return { submissions, failures, pages: outcomes, stats, stored, ...(runId !== undefined ? { runId } : {}) };
}

/** A reader that first looks in the page journal, and journals every page it reads. */
function journalled(
  reader: ScanReader,
  store: Partial<IngestJournal>,
  model: string,
): { reader: ScanReader; files: Set<string> } {
  const files = new Set<string>();
  return {
    files,
    reader: {
      async readPage(page: PageImage) {
        files.add(page.sha256);
        const hit = (await store.journalGet?.(page.sha256, page.page, model)) as PageReading | undefined;
        // The same bytes may sit under another name this time.
        if (hit && typeof hit === 'object' && Array.isArray(hit.fields)) return { ...hit, file: page.file };
        const read = await reader.readPage(page);
        if (!('code' in read)) await store.journalPut?.(page.sha256, page.page, model, read);
        return read;
      },
    },
  };
}

// Use case: erase a person (个人信息保护法: the right to deletion). The database erasure
// (store.eraseRecords) removes the rows and the crops; the copies xietong itself wrote outside the
// database — an ingest's records.json and crops, an export's workbook, CSV and JSON — are found
// through the folders the store remembers (store.knownCopies) and rewritten without the erased
// records. The database erasure comes first and stands whatever happens to a file: a copy that
// cannot be rewritten is named with what to do, never a reason to keep the person in the store.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat, exportStore, JSON_NAME, XLSX_NAME } from '../export/index.js';
import { writeFileAtomic } from '../files.js';
import { FORMS } from '../forms/index.js';
import type { SqliteRecordStore } from '../store/index.js';
import type { KnownCopy } from '../store/types.js';
import { FORM_KINDS } from '../types.js';

/** A file outside the database that held erased records. */
export interface CopyFile {
  path: string;
  kind: KnownCopy['kind'];
  /**
   * changed: rewritten without the erased records (in a plan: would be); missing: no longer
   * there, skipped; failed: could not be read or rewritten — `hint` says what to do.
   */
  outcome: 'changed' | 'missing' | 'failed';
  /** Crop images removed beside an ingest's records.json. */
  crops?: number;
  error?: string;
  hint?: string;
}

export interface ErasureOutcome {
  erased: string[];
  /** Crop images the database erasure removed. */
  filesRemoved: number;
  auditId: number;
  copies: CopyFile[];
}

/** The files of an export folder for its formats, named as exportStore names them. */
function exportFiles(dir: string, formats: readonly string[]): { format: ExportFormat; path: string }[] {
  const names: Record<ExportFormat, string[]> = {
    xlsx: [XLSX_NAME],
    csv: FORM_KINDS.map((k) => `${FORMS[k].shortName}.csv`),
    json: [JSON_NAME],
  };
  return EXPORT_FORMATS.filter((f) => formats.includes(f)).flatMap((format) =>
    names[format].map((name) => ({ format, path: join(dir, name) })),
  );
}

interface IngestFile {
  submissions: { id: string; copyOf?: string; fields?: Record<string, { crop?: string }> }[];
  [other: string]: unknown;
}

async function readIngestFile(path: string): Promise<IngestFile> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    !Array.isArray((parsed as { submissions?: unknown }).submissions)
  )
    throw new Error('not an ingest records.json (no "submissions" list)');
  return parsed as IngestFile;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

interface Planned {
  copy: KnownCopy;
  files: CopyFile[];
}

/** Which known copies hold any of `ids`, and what would become of each of their files. */
async function plan(store: SqliteRecordStore, ids: ReadonlySet<string>): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const copy of await store.knownCopies()) {
    const noted = copy.recordIds.some((id) => ids.has(id));
    if (copy.kind === 'ingest') {
      const path = join(copy.dir, 'records.json');
      if (!existsSync(path)) {
        if (noted) out.push({ copy, files: [{ path, kind: 'ingest', outcome: 'missing' }] });
        continue;
      }
      try {
        // The file, not the note, says whom it holds now: a later run may have replaced it.
        const file = await readIngestFile(path);
        if (file.submissions.some((r) => ids.has(r.id)))
          out.push({ copy, files: [{ path, kind: 'ingest', outcome: 'changed' }] });
      } catch (err) {
        // Unreadable: named only if, when written, it held one of the records.
        if (!noted) continue;
        out.push({
          copy,
          files: [
            {
              path,
              kind: 'ingest',
              outcome: 'failed',
              error: errorText(err),
              hint: '请手工删除此文件 / delete this file by hand (it may hold the erased records)',
            },
          ],
        });
      }
      continue;
    }
    if (!noted) continue;
    out.push({
      copy,
      files: exportFiles(copy.dir, copy.formats).map(({ path }) => ({
        path,
        kind: 'export' as const,
        outcome: existsSync(path) ? ('changed' as const) : ('missing' as const),
      })),
    });
  }
  return out;
}

/** Without --yes: the copies outside the database an erasure of `ids` would rewrite or skip. */
export async function planErasure(store: SqliteRecordStore, ids: readonly string[]): Promise<CopyFile[]> {
  return (await plan(store, new Set(ids))).flatMap((p) => p.files);
}

/** records.json without the erased records, replaced whole; their crops inside the folder removed. */
async function rewriteIngest(file: CopyFile, dir: string, ids: ReadonlySet<string>): Promise<void> {
  const data = await readIngestFile(file.path);
  const gone = data.submissions.filter((r) => ids.has(r.id));
  data.submissions = data.submissions
    .filter((r) => !ids.has(r.id))
    .map((r) => {
      if (r.copyOf === undefined || !ids.has(r.copyOf)) return r;
      const { copyOf: _, ...rest } = r;
      return rest;
    });
  await writeFileAtomic(file.path, `${JSON.stringify(data, null, 2)}\n`);
  let crops = 0;
  for (const r of gone)
    for (const f of Object.values(r.fields ?? {})) {
      if (typeof f?.crop !== 'string') continue;
      const crop = resolve(dir, f.crop);
      // A crop path is the file's own word: never remove anything outside the output folder.
      const inside = relative(dir, crop);
      if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(crop)) continue;
      await rm(crop, { force: true });
      crops++;
    }
  file.crops = crops;
}

/**
 * The export written again from the store, with the records it held less the erased, in the formats
 * whose files are still there: the files are written in a private folder beside the old ones and
 * each renamed over its old file, so a failure leaves that old file whole and named. A file the
 * user had deleted is not brought back.
 */
async function rewriteExport(
  store: SqliteRecordStore,
  copy: KnownCopy,
  files: CopyFile[],
  ids: ReadonlySet<string>,
): Promise<void> {
  const present = new Map(files.filter((f) => f.outcome === 'changed').map((f) => [f.path, f]));
  if (present.size === 0) return;
  const formats = exportFiles(copy.dir, copy.formats)
    .filter((f) => present.has(f.path))
    .map((f) => f.format);
  const tmp = await mkdtemp(join(copy.dir, '.xietong-erase-'));
  try {
    const result = await exportStore(store, {
      outDir: tmp,
      formats: [...new Set(formats)],
      ids: copy.recordIds.filter((id) => !ids.has(id)),
      check: copy.referenceDate ? { referenceDate: copy.referenceDate } : {},
    });
    const written = new Set<string>();
    for (const f of result.files) {
      const target = join(copy.dir, basename(f.path));
      const file = present.get(target);
      if (!file) continue;
      written.add(target);
      try {
        await rename(f.path, target);
      } catch (err) {
        failed(file, copy, err);
      }
    }
    for (const [path, file] of present)
      if (!written.has(path)) failed(file, copy, new Error('not written by the export'));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function failed(file: CopyFile, copy: KnownCopy, err: unknown): void {
  file.outcome = 'failed';
  file.error = errorText(err);
  file.hint =
    copy.kind === 'ingest'
      ? '请手工删除此文件 / delete this file by hand (it still holds the erased records)'
      : `请删除此文件，或重新导出 / delete it, or export again: xietong export --out ${copy.dir} --format ${copy.formats.join(',')}`;
}

/**
 * Erases records from the store, then from every copy the store knows of. The audit line gets the
 * number of copies changed and failed — counts only, no path (a path may hold a name).
 */
export async function erasePerson(
  store: SqliteRecordStore,
  ids: readonly string[],
  actor: { by: string; reason: string },
): Promise<ErasureOutcome> {
  const set = new Set(ids);
  const planned = await plan(store, set);
  const done = await store.eraseRecords(ids, actor);
  for (const { copy, files } of planned) {
    const todo = files.filter((f) => f.outcome === 'changed');
    try {
      if (copy.kind === 'ingest') for (const f of todo) await rewriteIngest(f, copy.dir, set);
      else await rewriteExport(store, copy, files, set);
    } catch (err) {
      for (const f of todo) if (f.outcome === 'changed') failed(f, copy, err);
    }
  }
  const copies = planned.flatMap((p) => p.files);
  await store.noteErasureCopies(done.auditId, {
    changed: copies.filter((f) => f.outcome === 'changed').length,
    failed: copies.filter((f) => f.outcome === 'failed').length,
  });
  return { ...done, copies };
}

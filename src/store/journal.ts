// The ingest journal: runs (what was read, by which engine, with what outcome) and the per-page
// readings a restarted run takes up again instead of reading the page twice.
import type { StoreCore } from './rows.js';
import { type EngineInfo, EngineInfoSchema } from './types.js';

export async function startRun(
  s: StoreCore,
  info: { paths: readonly string[]; engine?: EngineInfo },
): Promise<number> {
  const r = s.db
    .prepare('INSERT INTO ingest_runs (started_at, paths, engine) VALUES (?, ?, ?)')
    .run(s.stamp(), JSON.stringify(info.paths), info.engine ? JSON.stringify(info.engine) : null);
  return Number(r.lastInsertRowid);
}

export async function finishRun(
  s: StoreCore,
  runId: number,
  stats: Record<string, number>,
  engine?: EngineInfo,
): Promise<void> {
  s.db
    .prepare('UPDATE ingest_runs SET finished_at = ?, stats = ?, engine = coalesce(?, engine) WHERE id = ?')
    .run(
      s.stamp(),
      JSON.stringify(stats),
      engine ? JSON.stringify(EngineInfoSchema.parse(engine)) : null,
      runId,
    );
}

export async function journalGet(
  s: StoreCore,
  sha256: string,
  page: number,
  model: string,
): Promise<unknown | undefined> {
  const row = s.db
    .prepare('SELECT reading FROM page_journal WHERE sha256 = ? AND page = ? AND model = ?')
    .get(sha256, page, model) as { reading: string } | undefined;
  return row ? (JSON.parse(row.reading) as unknown) : undefined;
}

export async function journalPut(
  s: StoreCore,
  sha256: string,
  page: number,
  model: string,
  reading: unknown,
): Promise<void> {
  s.db
    .prepare('INSERT OR REPLACE INTO page_journal (sha256, page, model, reading, at) VALUES (?, ?, ?, ?, ?)')
    .run(sha256, page, model, JSON.stringify(reading), s.stamp());
}

export async function journalClear(s: StoreCore, sha256s: readonly string[]): Promise<void> {
  s.db
    .prepare('DELETE FROM page_journal WHERE sha256 IN (SELECT value FROM json_each(?))')
    .run(JSON.stringify(sha256s));
}

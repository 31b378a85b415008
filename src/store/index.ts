// Store: records, their provenance and every correction, behind the RecordStore interface.
export { ingestIntoStore, type StoreIngestOptions, type StoreIngestResult } from './ingest.js';
export {
  type ProjectActor,
  type ProjectChange,
  ProjectChangeSchema,
  type ProjectHistoryEntry,
  ProjectHistoryEntrySchema,
  type ProjectRepository,
  type PutProjectOutcome,
  projectDiff,
  projectNumber,
  SqliteProjects,
} from './projects.js';
export { LATEST_VERSION, MIGRATIONS, type Migration, migrate } from './schema.js';
export {
  currentRecord,
  defaultDbPath,
  type OpenStoreOptions,
  openStore,
  SqliteRecordStore,
  titleOf,
} from './sqlite.js';
export * from './types.js';

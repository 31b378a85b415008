// The application layer: one function per use case, taking a store and options and returning
// results (and progress events). The CLI and the workbench call these and only parse and print, or
// answer requests; the stages below (ingest, check, export, review, store…) never import this.
export { type Approvable, type ApproveAllOutcome, approvableRecords, approveAll } from './approve.js';
export { type CheckOutcome, checkAll, isOcrDoubt } from './check.js';
export { type CopyFile, type ErasureOutcome, erasePerson, planErasure } from './erase.js';
export { exportAll, exportCopy, workbookOf, XLSX_NAME } from './export.js';
export { type IngestBatchResult, type IngestProgress, ingestBatch } from './ingest.js';

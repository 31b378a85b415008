// The application layer: one function per use case, taking a store and options and returning
// results (and progress events). The CLI and the workbench call these and only parse and print, or
// answer requests; the stages below (ingest, check, export, review, store…) never import this.
export { type Approvable, type ApproveAllOutcome, approvableRecords, approveAll } from './approve.js';
export { type CheckOutcome, checkAll, isOcrDoubt } from './check.js';
export {
  DOCUMENT_KINDS,
  type DocumentKindDef,
  documentKind,
  type RenderSetOutcome,
  renderDocumentSet,
} from './documents.js';
export { type CopyFile, type ErasureOutcome, erasePerson, planErasure } from './erase.js';
export { exportAll, exportCopy, workbookOf, XLSX_NAME } from './export.js';
export { type IngestBatchResult, type IngestProgress, ingestBatch } from './ingest.js';
export {
  approvedRecords,
  confirmMatches,
  createProjectsInStore,
  type MatchPair,
  pairKey,
  suggestMatches,
} from './match.js';
export {
  editProjectTerms,
  listProjectSummaries,
  moveProject,
  ProjectTermsSchema,
  projectDetail,
  projectVersion,
  recordStates,
} from './projects.js';
export { importScoreWorkbooks, lastRanking, writeScoreWorkbook } from './scores.js';
export { stampDocuments } from './stamping.js';

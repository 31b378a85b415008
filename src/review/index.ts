// The review web page: `xietong review` serves it alone, the workbench beside its other views; tests
// start and stop it through startReviewServer.
export { reviewPage } from './page.js';
export { addReviewRoutes, type ReviewRoutesOptions } from './routes.js';
export {
  ApproveInputSchema,
  MAX_BODY_BYTES,
  REVIEW_BUSY_TIMEOUT_MS,
  REVIEW_HOST,
  type ReviewServer,
  type ReviewServerOptions,
  startReviewServer,
} from './server.js';
export { type FieldView, type QueueEntry, type RecordView, recordView, textOf, versionOf } from './view.js';

// Projects: the shape (types.ts), building one from a confirmed match, and the state rules.
export {
  type CreatedProject,
  type CreateProjectsOptions,
  type CreateProjectsResult,
  confirmTopSuggestions,
  createProjectsFromStubs,
  topSuggestionStubs,
} from './confirm.js';
export {
  DEFAULT_TERM_MONTHS,
  type DemandStub,
  type FromMatchOptions,
  type FromMatchResult,
  NEED_DUTIES,
  projectFromMatch,
  projectIdFor,
  unitOf,
} from './from-match.js';
export { canMoveTo, describeNext, NEXT_STATES } from './state.js';
export * from './types.js';

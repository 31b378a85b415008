// Who may do what in office mode: one table keyed by action, and one list saying which action each
// state-changing route is. The office gate (../web/office/gate.ts) looks every request up here
// before the route runs, so a route is checked by declaring its action below — and a state-changing
// route nobody declared is refused to everyone (test/web/office.test.ts fails until it is declared).
import type { Role } from '../store/users.js';

export const ACTIONS = [
  /** Look at anything the pages show (queue, records, crops, check, counts). */
  'view',
  /** Upload files and run an ingest of them. */
  'import',
  /**
   * Ingest files by their path on the server: in office mode that reaches every file the server
   * process can read, not only what a colleague uploaded — so it is the administrator's.
   */
  'import_paths',
  /** Correct or confirm a field. */
  'correct',
  /** Prepare: export, matches, project terms and states, score sheets, draft documents. */
  'prepare',
  /** Approve records (one, or all without doubts). */
  'approve',
  /** Release final (non-draft) documents. */
  'release',
  /** Add accounts, reset passwords, disable accounts. */
  'manage_users',
  /** Erase a person's records. */
  'erase',
] as const;
export type Action = (typeof ACTIONS)[number];

const CLERK: readonly Action[] = ['view', 'import', 'correct', 'prepare'];
const REVIEWER: readonly Action[] = [...CLERK, 'approve', 'release'];
const ADMIN: readonly Action[] = [...REVIEWER, 'import_paths', 'manage_users', 'erase'];

export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  clerk: new Set(CLERK),
  reviewer: new Set(REVIEWER),
  admin: new Set(ADMIN),
};

export const ACTION_NAMES: Record<Action, string> = {
  view: '查看',
  import: '导入',
  import_paths: '从服务器上的路径导入（请改用上传）',
  correct: '更正',
  prepare: '准备材料',
  approve: '核对通过',
  release: '发布正式文书',
  manage_users: '管理账号',
  erase: '删除个人数据',
};

export const allows = (role: Role, action: Action): boolean => PERMISSIONS[role].has(action);

export interface RouteAction {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A hono path pattern, as the route is declared (`:name` for one segment). */
  path: string;
  action: Action;
  /**
   * For a route whose body decides how much it does (a document set drafted or final): the JSON
   * body's action when it asks for more than `action`, else undefined. The gate reads the body
   * (small JSON only) before the route does; the route reads it again as usual.
   */
  bodyAction?: (body: unknown) => Action | undefined;
}

/**
 * Every route that changes something, and any reading route that is not plain 'view'. A route whose
 * action depends on its body (a document set drafted or final) declares the lesser one here and asks
 * `requireAction(c, 'release')` (../web/office/gate.ts) when the body asks for more.
 */
export const ROUTE_ACTIONS: readonly RouteAction[] = [
  { method: 'POST', path: '/api/uploads', action: 'import' },
  { method: 'POST', path: '/api/uploads/:batch/files', action: 'import' },
  {
    method: 'POST',
    path: '/api/ingest',
    action: 'import',
    bodyAction: (b) => (typeof b === 'object' && b !== null && 'paths' in b ? 'import_paths' : undefined),
  },
  { method: 'POST', path: '/api/records/:id/fields/:key', action: 'correct' },
  { method: 'POST', path: '/api/records/:id/approve', action: 'approve' },
  { method: 'POST', path: '/api/approve-all', action: 'approve' },
  // Writes the workbook into the data folder (and notes it for erasure) before the download.
  { method: 'GET', path: '/api/export/xlsx', action: 'prepare' },
  // 对接, 项目, 评审: preparing the programme's decisions, which documents then print.
  { method: 'POST', path: '/api/match/confirm', action: 'prepare' },
  { method: 'POST', path: '/api/projects/:id/terms', action: 'prepare' },
  { method: 'POST', path: '/api/projects/:id/state', action: 'prepare' },
  { method: 'POST', path: '/api/scores/files', action: 'prepare' },
  { method: 'POST', path: '/api/scores/import', action: 'prepare' },
  { method: 'POST', path: '/api/seals', action: 'prepare' },
  // 文书: drafts are preparation; final documents (no 草稿 mark) are released by a reviewer.
  {
    method: 'POST',
    path: '/api/documents',
    action: 'prepare',
    bodyAction: (b) =>
      typeof b === 'object' && b !== null && 'draft' in b && b.draft === false ? 'release' : undefined,
  },
];

const compiled = ROUTE_ACTIONS.map((r) => ({
  ...r,
  pattern: new RegExp(
    `^${r.path
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`,
  ),
}));

/** The declared route a request is, if any. */
export function routeOf(method: string, path: string): RouteAction | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((r) => r.method === m && r.pattern.test(path));
}

/** The action a request is, or undefined for a state change nobody declared (refused). */
export function actionOf(method: string, path: string): Action | undefined {
  const found = routeOf(method, path);
  if (found) return found.action;
  return method === 'GET' || method === 'HEAD' ? 'view' : undefined;
}

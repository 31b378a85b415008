// Projects in the database: the project itself (replaced as it is edited) and an append-only
// history of its state changes, each naming who made it. State changes go through
// setProjectState only, so the history is the whole story of where a project has been.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { canMoveTo, describeNext } from '../projects/state.js';
import {
  PROJECT_STATES,
  type Project,
  ProjectSchema,
  type ProjectState,
  STATE_NAMES,
} from '../projects/types.js';
import { StoreError } from './types.js';

export const ProjectHistoryEntrySchema = z.object({
  id: z.number().int(),
  projectId: z.string(),
  at: z.string(),
  by: z.string().min(1),
  /** null for the entry that created the project. */
  from: z.enum(PROJECT_STATES).nullable(),
  to: z.enum(PROJECT_STATES),
  note: z.string().optional(),
});
export type ProjectHistoryEntry = z.infer<typeof ProjectHistoryEntrySchema>;

/** One value of a project changed by putProject: its dotted path, before and after. */
export const ProjectChangeSchema = z.object({
  id: z.number().int(),
  projectId: z.string(),
  at: z.string(),
  by: z.string().min(1),
  path: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  note: z.string().optional(),
});
export type ProjectChange = z.infer<typeof ProjectChangeSchema>;

/** The readable number of the n-th project of a programme year: 2020-XT-001. */
export const projectNumber = (year: number, n: number): string => `${year}-XT-${String(n).padStart(3, '0')}`;
const NUMBER = /^(\d{4})-XT-(\d{3,})$/;

/** Leaf values of a project by dotted path (arrays kept whole: a list of goals is one value). */
function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) out.set(prefix, value);
  return out;
}

/** What differs between two versions of a project, path by path. */
export function projectDiff(before: unknown, after: unknown): { path: string; from: unknown; to: unknown }[] {
  const a = leaves(before);
  const b = leaves(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.flatMap((path) => {
    const from = a.get(path) ?? null;
    const to = b.get(path) ?? null;
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ path, from, to }];
  });
}

export interface ProjectActor {
  by: string;
  note?: string;
}

export type PutProjectOutcome = 'inserted' | 'updated' | 'unchanged';

export interface ProjectRepository {
  /** Saves a new project (history: created in its state) or replaces the content of a stored one. */
  putProject(project: Project, actor: ProjectActor): Promise<PutProjectOutcome>;
  listProjects(filter?: { state?: ProjectState }): Promise<Project[]>;
  getProject(id: string): Promise<Project | undefined>;
  /** Moves a project one step on; a move the programme does not allow is a StoreError. */
  setProjectState(id: string, to: ProjectState, actor: ProjectActor): Promise<ProjectHistoryEntry>;
  projectHistory(id: string): Promise<ProjectHistoryEntry[]>;
  /** Every value changed by putProject since the project was created, oldest first. */
  projectChanges(id: string): Promise<ProjectChange[]>;
  /**
   * The next free readable number of a programme year (2020-XT-001, -002 …). A number is never
   * reused: it is the project's id, kept from the confirmed match to the certificate.
   */
  nextProjectId(year: number): Promise<string>;
  /** The project built from this demand (or problem) and registration, if one is stored. */
  findProjectBySources(sources: {
    demand?: string;
    problem?: string;
    registration: string;
  }): Promise<Project | undefined>;
}

const Row = z.object({ id: z.string(), project: z.string(), state: z.string() });
const HistoryRow = z.object({
  id: z.number().int(),
  project_id: z.string(),
  at: z.string(),
  actor: z.string(),
  from_state: z.string().nullable(),
  to_state: z.string(),
  note: z.string().nullable(),
});

function actorOf(actor: ProjectActor): { by: string; note: string | null } {
  const by = actor.by?.trim();
  if (!by) throw new StoreError('invalid_input', '需要填写操作人。', 'Who made the change is required.');
  return { by, note: actor.note?.trim() || null };
}

function parseRow(raw: unknown): Project {
  const row = Row.parse(raw);
  let json: unknown;
  try {
    json = JSON.parse(row.project);
  } catch {
    json = undefined;
  }
  const parsed = ProjectSchema.safeParse(json);
  if (!parsed.success || parsed.data.state !== row.state) {
    throw new StoreError(
      'invalid_row',
      `数据库中的项目 ${row.id} 已损坏。`,
      `The stored project ${row.id} does not parse.`,
    );
  }
  return parsed.data;
}

const notFound = (id: string) =>
  new StoreError('record_not_found', `找不到项目 ${id}。`, `No project ${id}.`);

/** The project methods of SqliteRecordStore, over its connection and clock. */
export class SqliteProjects implements ProjectRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly stamp: () => string,
  ) {}

  async putProject(project: Project, actor: ProjectActor): Promise<PutProjectOutcome> {
    const who = actorOf(actor);
    const checked = ProjectSchema.safeParse(project);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new StoreError(
        'invalid_input',
        `项目 ${project.id} 不符合要求：${issues}`,
        `Invalid project: ${issues}`,
      );
    }
    const p = checked.data;
    const text = JSON.stringify(p);
    return this.db
      .transaction((): PutProjectOutcome => {
        const before = this.db.prepare('SELECT project, state FROM projects WHERE id = ?').get(p.id) as
          | { project: string; state: string }
          | undefined;
        const at = this.stamp();
        if (!before) {
          this.db
            .prepare(
              'INSERT INTO projects (id, project, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
            )
            .run(p.id, text, p.state, at, at);
          this.db
            .prepare(
              'INSERT INTO project_history (project_id, at, actor, from_state, to_state, note) VALUES (?, ?, ?, NULL, ?, ?)',
            )
            .run(p.id, at, who.by, p.state, who.note);
          return 'inserted';
        }
        // Editing the content must not slip a state change past the transition rules.
        if (before.state !== p.state) {
          throw new StoreError(
            'conflict',
            `项目 ${p.id} 的状态是「${STATE_NAMES[before.state as ProjectState] ?? before.state}」，` +
              '修改状态请用 xietong project state。',
            `Project ${p.id} is ${before.state}; change its state with setProjectState.`,
          );
        }
        if (before.project === text) return 'unchanged';
        this.db.prepare('UPDATE projects SET project = ?, updated_at = ? WHERE id = ?').run(text, at, p.id);
        const insert = this.db.prepare(
          'INSERT INTO project_changes (project_id, at, actor, path, old_value, new_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
        );
        for (const d of projectDiff(JSON.parse(before.project), p)) {
          insert.run(p.id, at, who.by, d.path, JSON.stringify(d.from), JSON.stringify(d.to), who.note);
        }
        return 'updated';
      })
      .immediate();
  }

  async listProjects(filter: { state?: ProjectState } = {}): Promise<Project[]> {
    const rows = filter.state
      ? this.db
          .prepare('SELECT id, project, state FROM projects WHERE state = ? ORDER BY id')
          .all(filter.state)
      : this.db.prepare('SELECT id, project, state FROM projects ORDER BY id').all();
    return rows.map(parseRow);
  }

  async getProject(id: string): Promise<Project | undefined> {
    const row = this.db.prepare('SELECT id, project, state FROM projects WHERE id = ?').get(id);
    return row === undefined ? undefined : parseRow(row);
  }

  async setProjectState(id: string, to: ProjectState, actor: ProjectActor): Promise<ProjectHistoryEntry> {
    const who = actorOf(actor);
    if (!(PROJECT_STATES as readonly string[]).includes(to)) {
      throw new StoreError(
        'invalid_input',
        `未知的项目状态 ${to}，可选：${PROJECT_STATES.join('、')}。`,
        `Unknown state ${to}.`,
      );
    }
    return this.db
      .transaction((): ProjectHistoryEntry => {
        const row = this.db.prepare('SELECT id, project, state FROM projects WHERE id = ?').get(id);
        if (row === undefined) throw notFound(id);
        const project = parseRow(row);
        const from = project.state;
        if (!canMoveTo(from, to)) {
          throw new StoreError(
            'conflict',
            `项目 ${id} 不能从「${STATE_NAMES[from]}」改为「${STATE_NAMES[to]}」：${describeNext(from)}。`,
            `Project ${id} cannot move from ${from} to ${to}.`,
          );
        }
        const at = this.stamp();
        this.db
          .prepare('UPDATE projects SET project = ?, state = ?, updated_at = ? WHERE id = ?')
          .run(JSON.stringify({ ...project, state: to }), to, at, id);
        const info = this.db
          .prepare(
            'INSERT INTO project_history (project_id, at, actor, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(id, at, who.by, from, to, who.note);
        const entry: ProjectHistoryEntry = {
          id: Number(info.lastInsertRowid),
          projectId: id,
          at,
          by: who.by,
          from,
          to,
        };
        if (who.note !== null) entry.note = who.note;
        return entry;
      })
      .immediate();
  }

  async projectChanges(id: string): Promise<ProjectChange[]> {
    if (this.db.prepare('SELECT 1 FROM projects WHERE id = ?').get(id) === undefined) throw notFound(id);
    const rows = this.db
      .prepare('SELECT * FROM project_changes WHERE project_id = ? ORDER BY id')
      .all(id) as {
      id: number;
      project_id: string;
      at: string;
      actor: string;
      path: string;
      old_value: string | null;
      new_value: string | null;
      note: string | null;
    }[];
    return rows.map((r) =>
      ProjectChangeSchema.parse({
        id: r.id,
        projectId: r.project_id,
        at: r.at,
        by: r.actor,
        path: r.path,
        from: r.old_value === null ? null : JSON.parse(r.old_value),
        to: r.new_value === null ? null : JSON.parse(r.new_value),
        ...(r.note === null ? {} : { note: r.note }),
      }),
    );
  }

  async nextProjectId(year: number): Promise<string> {
    const ids = this.db.prepare("SELECT id FROM projects WHERE id LIKE ? || '-XT-%'").all(String(year)) as {
      id: string;
    }[];
    let last = 0;
    for (const { id } of ids) {
      const m = NUMBER.exec(id);
      if (m && Number(m[1]) === year) last = Math.max(last, Number(m[2]));
    }
    return projectNumber(year, last + 1);
  }

  async findProjectBySources(sources: {
    demand?: string;
    problem?: string;
    registration: string;
  }): Promise<Project | undefined> {
    const key = sources.demand !== undefined ? '$.sources.demand' : '$.sources.problem';
    const row = this.db
      .prepare(
        `SELECT id, project, state FROM projects WHERE json_extract(project, '$.sources.registration') = ? AND json_extract(project, '${key}') = ? ORDER BY id LIMIT 1`,
      )
      .get(sources.registration, sources.demand ?? sources.problem ?? null);
    return row === undefined ? undefined : parseRow(row);
  }

  async projectHistory(id: string): Promise<ProjectHistoryEntry[]> {
    if (this.db.prepare('SELECT 1 FROM projects WHERE id = ?').get(id) === undefined) throw notFound(id);
    return this.db
      .prepare('SELECT * FROM project_history WHERE project_id = ? ORDER BY id')
      .all(id)
      .map((raw) => {
        const r = HistoryRow.parse(raw);
        return ProjectHistoryEntrySchema.parse({
          id: r.id,
          projectId: r.project_id,
          at: r.at,
          by: r.actor,
          from: r.from_state,
          to: r.to_state,
          ...(r.note === null ? {} : { note: r.note }),
        });
      });
  }
}

// A project copies its parties' facts from the two forms when it is created (from-match.ts). A
// correction approved on one of those records later — a misread legal representative, a phone
// number — must reach the project, or the agreement prints the old reading while the record says
// otherwise. Pure: given the project, the record as now approved and the paths people have edited
// on the project itself, it returns the project with the record's values where they differ.
//
// A value someone set on the project by hand (the terms workbook, the workbench) is the bureau's
// decision and is left alone, even when the record now says something else.
import type { SubmissionRecord } from '../types.js';
import { NEED_KEYS } from './from-match.js';
import type { Project } from './types.js';

/** Project path ← record field, per form: exactly what projectFromMatch copies. */
export const COPIED_FIELDS: Record<'demand' | 'registration', readonly (readonly [string, string])[]> = {
  demand: [
    ['enterprise.name', 'companyName'],
    ['enterprise.district', 'district'],
    ['enterprise.legalRepresentative', 'legalRepresentative'],
    ['enterprise.legalRepresentativePhone', 'legalRepresentativePhone'],
    ['enterprise.contactPerson', 'contactPerson'],
    ['enterprise.contactPhone', 'contactPhone'],
    ['enterprise.mainProducts', 'mainProducts'],
    ...NEED_KEYS.map((k) => [`needs.${k}`, `needs.${k}`] as const),
  ],
  registration: [
    ['professional.name', 'name'],
    ['professional.gender', 'gender'],
    ['professional.professionalTitle', 'professionalTitle'],
    ['professional.employerAndPosition', 'employerAndPosition'],
    ['professional.phone', 'phone'],
    ['professional.expertise', 'expertise'],
    ['professional.teamName', 'teamName'],
    ['professional.teamSize', 'teamSize'],
    ['plannedWork', 'plannedWork'],
  ],
};

/** The note every synced change carries in the project's history (and how a sync is told from a hand edit). */
export const SYNC_NOTE = '同步已核对记录的更正';

const recordValue = (record: SubmissionRecord, key: string): string | number | null => {
  const v = record.fields[key]?.value;
  if (v === null || v === undefined || typeof v === 'boolean') return null;
  if (typeof v === 'number') return v;
  const s = v.trim();
  return s === '' ? null : s;
};

const get = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (at, k) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[k] : undefined),
      o,
    );

function set(o: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) {
    at[k] = { ...((at[k] as Record<string, unknown> | undefined) ?? {}) };
    at = at[k] as Record<string, unknown>;
  }
  at[keys.at(-1) as string] = value;
}

export interface SyncOutcome {
  project: Project;
  /** Project paths the record changed. */
  changed: string[];
  /** Paths where the record differs but a person set the project's value by hand: left alone. */
  kept: string[];
}

/**
 * The project with what `record` (one of its sources, as now approved) says. A blank in the record
 * never blanks the project; a gender or team size the project cannot hold is skipped.
 */
export function syncFromRecord(
  project: Project,
  record: SubmissionRecord,
  handEdited: ReadonlySet<string>,
): SyncOutcome {
  const changed: string[] = [];
  const kept: string[] = [];
  if (record.form !== 'demand' && record.form !== 'registration') return { project, changed, kept };
  if (project.sources[record.form] !== record.id) return { project, changed, kept };
  const next = structuredClone(project) as unknown as Record<string, unknown>;
  for (const [path, key] of COPIED_FIELDS[record.form]) {
    const value = recordValue(record, key);
    if (value === null || get(project, path) === value) continue;
    if (path === 'professional.gender' && value !== '男' && value !== '女') continue;
    if (
      path === 'professional.teamSize' &&
      !(typeof value === 'number' && Number.isInteger(value) && value >= 1)
    )
      continue;
    if (typeof value === 'number' && path !== 'professional.teamSize') continue;
    if (handEdited.has(path)) {
      kept.push(path);
      continue;
    }
    set(next, path, value);
    changed.push(path);
  }
  return { project: changed.length ? (next as unknown as Project) : project, changed, kept };
}

// A project built from one confirmed demand ↔ registration pair (stage 6 → 7). Pure: the caller
// hands in the records (from the store or from records files). Only what the two forms say is
// copied; whatever the agreement needs but the forms do not hold (goals, position, address, …) is
// listed in `missing` for the bureau to fill in, never guessed.
import { createHash } from 'node:crypto';
import { validateRecord } from '../domain/index.js';
import type { ProjectStub } from '../match/index.js';
import type { SubmissionRecord } from '../types.js';
import {
  addDays,
  addMonths,
  DUTIES,
  type Duty,
  FUNDING_MAX,
  FUNDING_MIN,
  isIsoDate,
  type Needs,
  type Project,
  type ProjectInput,
  ProjectSchema,
} from './types.js';

export interface FromMatchOptions {
  /** First day of the term (YYYY-MM-DD); without it the term is left open and reported. */
  start?: string;
  /** Length of the term in months (default 12). */
  months?: number;
  /** Funding asked of the bureau, 万元 (3–20). */
  requestedFunding?: number;
  /** Overrides the id derived from the two record ids. */
  id?: string;
  /** Overrides the provisional title. */
  title?: string;
  /**
   * Duties to use when the demand fills none of needs.* (dem-09 style): the bureau decides then,
   * the code does not.
   */
  tasks?: readonly Duty[];
}

export type FromMatchResult =
  | {
      ok: true;
      project: Project;
      /** Project keys left empty because neither form holds them (dotted paths). */
      missing: string[];
      /** Values derived rather than copied, to be checked (e.g. the dispatching unit). */
      notes: string[];
    }
  | { ok: false; problems: string[]; missing: string[]; notes: string[] };

export type DemandStub = Extract<ProjectStub, { kind: 'demand' }>;

export const DEFAULT_TERM_MONTHS = 12;

/** Registration issues the experts are told about: eligibility doubts, not refusals. */
const DOUBT_CODES: ReadonlySet<string> = new Set(['service_under_two_years', 'title_level_unknown']);

/** needs.* key → the duty it asks for; two kinds of need lead to 促成科技成果转化. */
export const NEED_DUTIES: readonly (readonly [keyof Needs, Duty])[] = [
  ['problems', 'solveProblems'],
  ['teamTraining', 'trainTeam'],
  ['rdPlatform', 'buildPlatform'],
  ['techTransfer', 'transferResults'],
  ['majorCooperation', 'transferResults'],
];

export const NEED_KEYS = [
  'problems',
  'teamTraining',
  'rdPlatform',
  'techTransfer',
  'majorCooperation',
  'urgentTalent',
] as const;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/;

/**
 * `dem-01_reg-01`: stable across runs, so confirming the same pair twice finds the same project.
 * Ids that would not name a file (scan ids may be long) fall back to a hash of both.
 */
export function projectIdFor(demandId: string, registrationId: string): string {
  const plain = `${demandId}_${registrationId}`;
  if (ID_PATTERN.test(plain)) return plain;
  const hash = createHash('sha256').update(`${demandId}\n${registrationId}`).digest('hex');
  return `p-${hash.slice(0, 16)}`;
}

// Unit names end in one of these; the first one found ends the unit (the rest is department and
// post). 中国科学院…研究所 would stop at 中国科学院, hence a note asks for a check.
const UNIT_END = /^(.+?(?:大学|学院|研究所|研究院|研究中心|公司|医院|学校))/;

/** 景德镇陶瓷大学材料科学与工程学院副教授 → 景德镇陶瓷大学. */
export function unitOf(employerAndPosition: string): string | null {
  const m = UNIT_END.exec(employerAndPosition.trim());
  return m?.[1] ?? null;
}

const textOf = (r: SubmissionRecord | undefined, key: string): string | null => {
  const v = r?.fields[key]?.value;
  if (v === null || v === undefined || typeof v === 'boolean') return null;
  const s = String(v).trim();
  return s === '' ? null : s;
};

/** Builds the project for a confirmed demand stub; pure. */
export function projectFromMatch(
  stub: DemandStub,
  records: readonly SubmissionRecord[],
  options: FromMatchOptions = {},
): FromMatchResult {
  const missing: string[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  const demand = records.find((r) => r.id === stub.demandId && r.form === 'demand');
  const registration = records.find((r) => r.id === stub.registrationId && r.form === 'registration');
  if (!demand) problems.push(`找不到企业需求表 ${stub.demandId} / no demand record ${stub.demandId}`);
  if (!registration) {
    problems.push(`找不到报名表 ${stub.registrationId} / no registration record ${stub.registrationId}`);
  }
  if (!demand || !registration) return { ok: false, problems, missing, notes };

  // Copies a text field; a blank one is reported under the project's key.
  const take = (r: SubmissionRecord, key: string, as: string): string | null => {
    const v = textOf(r, key);
    if (v === null) missing.push(as);
    return v;
  };

  let enterpriseName = textOf(demand, 'companyName');
  if (enterpriseName === null) {
    enterpriseName = textOf(demand, 'fillingUnit');
    if (enterpriseName !== null)
      notes.push('enterprise.name: 企业名称栏空白，取自填报单位 / from fillingUnit');
  }
  if (enterpriseName === null) problems.push(`${demand.id}: 企业名称空白 / companyName is blank`);
  const enterprise = {
    name: enterpriseName ?? '',
    district: take(demand, 'district', 'enterprise.district'),
    legalRepresentative: take(demand, 'legalRepresentative', 'enterprise.legalRepresentative'),
    legalRepresentativePhone: take(demand, 'legalRepresentativePhone', 'enterprise.legalRepresentativePhone'),
    contactPerson: take(demand, 'contactPerson', 'enterprise.contactPerson'),
    contactPhone: take(demand, 'contactPhone', 'enterprise.contactPhone'),
    // 附件2 has no address line, but the agreement prints one.
    address: null,
    mainProducts: take(demand, 'mainProducts', 'enterprise.mainProducts'),
  };
  missing.push('enterprise.address');

  const name = textOf(registration, 'name');
  if (name === null) problems.push(`${registration.id}: 姓名空白 / name is blank`);
  const genderText = textOf(registration, 'gender');
  const gender: '男' | '女' | null = genderText === '男' || genderText === '女' ? genderText : null;
  if (gender === null) missing.push('professional.gender');
  const teamName = textOf(registration, 'teamName');
  const teamSizeValue = registration.fields.teamSize?.value;
  const teamSize =
    typeof teamSizeValue === 'number' && Number.isInteger(teamSizeValue) && teamSizeValue >= 1
      ? teamSizeValue
      : null;
  // A team's size matters; an individual's blank team size does not.
  if (teamName !== null && teamSize === null) missing.push('professional.teamSize');
  const employerAndPosition = take(registration, 'employerAndPosition', 'professional.employerAndPosition');
  const professional = {
    name: name ?? '',
    gender,
    professionalTitle: take(registration, 'professionalTitle', 'professional.professionalTitle'),
    employerAndPosition,
    phone: take(registration, 'phone', 'professional.phone'),
    expertise: take(registration, 'expertise', 'professional.expertise'),
    teamName,
    teamSize,
  };

  let unit = textOf(registration, 'fillingUnit');
  if (unit === null && employerAndPosition !== null) {
    unit = unitOf(employerAndPosition);
    if (unit !== null) {
      notes.push(`dispatchingUnit.name: 取自工作单位及职务「${employerAndPosition}」，请核对 / derived`);
    }
  }
  if (unit === null) {
    problems.push(`${registration.id}: 无法确定派出单位（填报单位与工作单位均空白） / no dispatching unit`);
  }
  missing.push('dispatchingUnit.legalRepresentative', 'dispatchingUnit.contactPerson');

  const needs = Object.fromEntries(NEED_KEYS.map((k) => [k, textOf(demand, `needs.${k}`)])) as Needs;
  const duties = new Set<Duty>();
  for (const [need, duty] of NEED_DUTIES) if (needs[need]) duties.add(duty);
  if (duties.size === 0) {
    if (options.tasks && options.tasks.length > 0) {
      for (const d of options.tasks) duties.add(d);
      notes.push('tasks: 企业未填写技术人才需求，任务由操作人指定 / tasks given by the caller');
    } else {
      problems.push(
        `${demand.id}: 企业需求表未填写任何技术人才需求，无法确定四项任务，请指定 / ` +
          'no needs.* filled: choose the tasks (options.tasks)',
      );
    }
  }

  const plannedWork = take(registration, 'plannedWork', 'plannedWork');
  // A rule's warning about the person (e.g. under two years of service) is no reason to refuse the
  // pair, but the experts scoring it must see it: kept on the project as a doubt.
  const doubts = [...registration.issues, ...validateRecord(registration)]
    .filter((i) => DOUBT_CODES.has(i.code))
    .map((i) => i.message)
    .filter((m, i, all) => all.indexOf(m) === i);

  const term: { start?: string; end?: string } = {};
  const months = options.months ?? DEFAULT_TERM_MONTHS;
  if (options.start === undefined) missing.push('term');
  else if (!isIsoDate(options.start)) problems.push(`开始日期 ${options.start} 不是 YYYY-MM-DD / bad start`);
  else if (!Number.isInteger(months) || months < 1) problems.push(`期限 ${months} 个月无效 / bad months`);
  else {
    term.start = options.start;
    term.end = addDays(addMonths(options.start, months), -1);
  }

  let requested: number | null = null;
  if (options.requestedFunding === undefined) missing.push('funding.requested');
  else if (options.requestedFunding < FUNDING_MIN || options.requestedFunding > FUNDING_MAX) {
    problems.push(
      `申请经费 ${options.requestedFunding} 万元不在 ${FUNDING_MIN}–${FUNDING_MAX} 万元之间 / funding out of range`,
    );
  } else requested = options.requestedFunding;

  missing.push('goals', 'position', 'daysPerMonth');
  const title = options.title ?? `${enterprise.name}与${teamName ?? professional.name}协同创新项目`;
  if (options.title === undefined) notes.push('title: 暂拟标题，签约前请改写 / provisional title');

  if (problems.length > 0) return { ok: false, problems, missing, notes };

  const input: ProjectInput = {
    id: options.id ?? projectIdFor(demand.id, registration.id),
    title,
    state: 'matched',
    sources: { demand: demand.id, registration: registration.id },
    enterprise,
    professional,
    dispatchingUnit: { name: unit ?? '' },
    needs,
    plannedWork,
    doubts,
    tasks: DUTIES.filter((d) => duties.has(d)).map((duty) => ({ duty })),
    term,
    funding: { requested },
  };
  const parsed = ProjectSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    return { ok: false, problems: issues, missing, notes };
  }
  return { ok: true, project: parsed.data, missing, notes };
}

// A project (入企协同创新项目): one confirmed match of an enterprise's demand and a professional's
// registration, followed from the tripartite agreement through evaluation and funding to
// acceptance. The score sheets, agreements and certificates are all planned from this one shape,
// so it is a schema at a trust boundary: projects.json is edited by hand.
//
// Facts are copied from the records (and the record ids kept in `sources`), not looked up at render
// time: an agreement must say what the parties agreed, even if a record is corrected later.
// Over 400 lines because the schema, its Chinese vocabulary and the date rules it checks are one contract.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { RunError } from '../errors.js';

// ---- the notice's vocabulary ---------------------------------------------------------------------

/** The four duties of notice section 四（一）, in its order. */
export const DUTIES = ['solveProblems', 'trainTeam', 'buildPlatform', 'transferResults'] as const;
export type Duty = (typeof DUTIES)[number];

export const DUTY_NAMES: Record<Duty, string> = {
  solveProblems: '解决企业技术难题',
  trainTeam: '培养企业技术团队',
  buildPlatform: '搭建企业研发平台',
  transferResults: '促成科技成果转化',
};

/** Where a project stands; the order is the programme's (README: 它做什么 / What it does). */
export const PROJECT_STATES = [
  'matched',
  'agreed',
  'evaluated',
  'funded',
  'underway',
  'accepted',
  'notAccepted',
] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

export const STATE_NAMES: Record<ProjectState, string> = {
  matched: '已对接',
  agreed: '已签订三方协议',
  evaluated: '已评审',
  funded: '已立项资助',
  underway: '实施中',
  accepted: '验收通过',
  notAccepted: '验收未通过',
};

/** The acceptance conclusions a certificate can record. */
export const CONCLUSIONS = ['passed', 'reconsider', 'failed'] as const;
export type Conclusion = (typeof CONCLUSIONS)[number];
export const CONCLUSION_NAMES: Record<Conclusion, string> = {
  passed: '通过',
  reconsider: '需要复议',
  failed: '不通过',
};

export const ASSESSMENTS = ['met', 'partlyMet', 'notMet'] as const;
export type Assessment = (typeof ASSESSMENTS)[number];
export const ASSESSMENT_NAMES: Record<Assessment, string> = {
  met: '完成',
  partlyMet: '部分完成',
  notMet: '未完成',
};

/** The notice's funding range, 3–20 万元 per person or team (四（二）2). */
export const FUNDING_MIN = 3;
export const FUNDING_MAX = 20;

// ---- values --------------------------------------------------------------------------------------

const text = z.string().trim().min(1, 'must not be empty');
/** A value the paper left blank: null (or absent) is printed empty and reported as missing. */
const optionalText = text.nullable().optional();

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

const isoDate = z.string().trim().refine(isIsoDate, 'must be a date like 2020-07-01 (YYYY-MM-DD)');

const funding = z
  .number()
  .min(FUNDING_MIN, `must be at least ${FUNDING_MIN} 万元 (notice: 3-20 万元)`)
  .max(FUNDING_MAX, `must be at most ${FUNDING_MAX} 万元 (notice: 3-20 万元)`);

// ---- the parties ---------------------------------------------------------------------------------

/** 甲方: the enterprise, from its demand record (附件2). */
export const EnterpriseSchema = z.strictObject({
  name: text,
  district: optionalText,
  legalRepresentative: optionalText,
  legalRepresentativePhone: optionalText,
  contactPerson: optionalText,
  contactPhone: optionalText,
  address: optionalText,
  mainProducts: optionalText,
});
export type Enterprise = z.infer<typeof EnterpriseSchema>;

export const TeamMemberSchema = z.strictObject({
  name: text,
  title: optionalText,
  role: optionalText,
});

/** 乙方: the professional or team, from the registration (附件1). */
export const ProfessionalSchema = z.strictObject({
  name: text,
  gender: z.enum(['男', '女']).nullable().optional(),
  professionalTitle: optionalText,
  employerAndPosition: optionalText,
  phone: optionalText,
  expertise: optionalText,
  /** Set for a team (所属团队名称); `name` is then the team leader. */
  teamName: optionalText,
  teamSize: z.number().int().min(1).nullable().optional(),
  members: z.array(TeamMemberSchema).optional(),
});
export type Professional = z.infer<typeof ProfessionalSchema>;

/** 丙方: the dispatching unit (派出单位), the university or institute the professional works for. */
export const DispatchingUnitSchema = z.strictObject({
  name: text,
  legalRepresentative: optionalText,
  contactPerson: optionalText,
  contactPhone: optionalText,
  address: optionalText,
});
export type DispatchingUnit = z.infer<typeof DispatchingUnitSchema>;

export const ExpertSchema = z.strictObject({
  /** Stable key across score workbooks; defaults to the name. */
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,20}$/, 'must be 1-20 letters, digits, _ or -')
    .optional(),
  name: text,
  title: optionalText,
  employer: optionalText,
  /** 组长 / 副组长 / 成员 … on an acceptance panel. */
  role: optionalText,
});
export type Expert = z.infer<typeof ExpertSchema>;

// ---- the project ---------------------------------------------------------------------------------

export const DutySchema = z.enum(DUTIES, {
  error: `must be one of ${DUTIES.map((d) => `${d} (${DUTY_NAMES[d]})`).join(', ')}`,
});

/** One duty the agreement assigns; `detail` replaces the text derived from the demand's needs. */
export const TaskSchema = z.strictObject({
  duty: DutySchema,
  detail: text.optional(),
});
export type Task = z.infer<typeof TaskSchema>;

/** The demand's 技术人才需求 block, copied: it is what the tasks are written out from. */
export const NeedsSchema = z.strictObject({
  problems: optionalText,
  teamTraining: optionalText,
  rdPlatform: optionalText,
  techTransfer: optionalText,
  majorCooperation: optionalText,
  urgentTalent: optionalText,
});
export type Needs = z.infer<typeof NeedsSchema>;

export const ResultSchema = z.strictObject({
  /** The goal it answers, 1-based into `goals`; absent for a result beyond the agreed goals. */
  goal: z.number().int().min(1).optional(),
  result: optionalText,
  assessment: z.enum(ASSESSMENTS).nullable().optional(),
});
export type GoalResult = z.infer<typeof ResultSchema>;

export const ProjectSchema = z
  .strictObject({
    /** Used in file names: letters, digits, `-`, `_`, `.`. */
    id: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/,
        'must be letters, digits, ".", "_" or "-" (it names files)',
      ),
    title: text,
    state: z.enum(PROJECT_STATES, { error: `must be one of ${PROJECT_STATES.join(', ')}` }),
    /** Ids of the records the project was built from. */
    sources: z
      .strictObject({ demand: text.optional(), registration: text.optional(), problem: text.optional() })
      .default({}),
    enterprise: EnterpriseSchema,
    professional: ProfessionalSchema,
    dispatchingUnit: DispatchingUnitSchema,
    needs: NeedsSchema.default({}),
    /** 拟在企业开展的工作, from the registration. */
    plannedWork: optionalText,
    /**
     * Doubts about eligibility found in the forms when the project was made (e.g. service under two
     * years): not grounds to refuse, but the experts must see them.
     */
    doubts: z.array(text).default([]),
    tasks: z.array(TaskSchema).min(1, 'choose at least one of the four duties'),
    /** Specific, checkable goals (目标): the agreement lists them, the certificate checks them. */
    goals: z.array(text).default([]),
    /** 协同创新岗位（职务） the enterprise gives the professional. */
    position: optionalText,
    term: z
      .strictObject({ start: isoDate.nullable().optional(), end: isoDate.nullable().optional() })
      .default({}),
    /** 全职入企 (temporarily released by the dispatching unit) or part-time. */
    fullTime: z.boolean().default(false),
    /** For part-time work: days a month at the enterprise. */
    daysPerMonth: z.number().int().min(1).max(31).nullable().optional(),
    /** Days a year in the enterprise, as agreed (the bureau's workbook asks for this figure). */
    daysPerYear: z.number().int().min(1).max(366).nullable().optional(),
    funding: z
      .strictObject({
        /** Asked of the bureau, 万元. */
        requested: funding.nullable().optional(),
        /** Granted by the bureau after evaluation, 万元. */
        granted: funding.nullable().optional(),
        /** The enterprise's own contribution, 万元. */
        enterprise: z.number().min(0).nullable().optional(),
      })
      .default({}),
    agreement: z
      .strictObject({
        /** A variant key of ipOwnership in config/agreement.yaml. */
        ipOwnership: text.optional(),
        signedDate: isoDate.nullable().optional(),
      })
      .default({}),
    evaluation: z
      .strictObject({
        date: isoDate.nullable().optional(),
        /** The panel scoring this project, when not given on the command line. */
        experts: z.array(ExpertSchema).optional(),
        /** Written back by `scores import`: the mean score, the rank and the proposed funding (万元). */
        mean: z.number().min(0).nullable().optional(),
        rank: z.number().int().min(1).nullable().optional(),
        proposed: z.number().min(0).nullable().optional(),
        /** Why the project could not be ranked (no valid score …), from `scores import`. */
        note: optionalText,
      })
      .default({}),
    acceptance: z
      .strictObject({
        certificateNo: optionalText,
        date: isoDate.nullable().optional(),
        /** 验收方式, e.g. 现场考察、质询. */
        method: optionalText,
        experts: z.array(ExpertSchema).default([]),
        results: z.array(ResultSchema).default([]),
        opinion: optionalText,
        /** 甲方意见: the enterprise's opinion on the work (the agreement asks 甲方出具意见). */
        enterpriseOpinion: optionalText,
        /** 派出单位意见. */
        unitOpinion: optionalText,
        /** 经费使用情况: how the bureau's and the enterprise's money was spent. */
        fundingUse: optionalText,
        conclusion: z.enum(CONCLUSIONS).nullable().optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<Duty>();
    for (const [i, t] of p.tasks.entries()) {
      if (seen.has(t.duty)) {
        ctx.addIssue({ code: 'custom', path: ['tasks', i, 'duty'], message: `${t.duty} is listed twice` });
      }
      seen.add(t.duty);
    }
    for (const [i, r] of (p.acceptance?.results ?? []).entries()) {
      if (r.goal !== undefined && r.goal > p.goals.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['acceptance', 'results', i, 'goal'],
          message: `refers to goal ${r.goal} but the project has ${p.goals.length} goal(s)`,
        });
      }
    }
  });
export type Project = z.infer<typeof ProjectSchema>;
export type ProjectInput = z.input<typeof ProjectSchema>;

/** The projects of a file, with ids unique across it. */
export const ProjectListSchema = z.array(ProjectSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  for (const [i, p] of list.entries()) {
    if (seen.has(p.id))
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate project id ${p.id}` });
    seen.add(p.id);
  }
});

/**
 * Everything the experts should weigh about eligibility: the doubts found in the forms, a term
 * under half a year, an enterprise that stated no needs. Empty when there is nothing to say.
 */
export function eligibilityDoubts(p: Project): string[] {
  const out = [...p.doubts];
  const { start, end } = p.term;
  if (start && end && !termIsLongEnough(start, end)) out.push('合作期限不足半年（通知要求原则上不少于半年）');
  if (!Object.values(p.needs).some((v) => typeof v === 'string' && v.trim() !== '')) {
    out.push('企业需求表未填写技术人才需求');
  }
  return out;
}

// ---- dates ---------------------------------------------------------------------------------------

/** 2020-07-01 → 2020年7月1日. */
export function formatChineseDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Adds calendar months, clamping to the month's last day (2020-08-31 + 6 → 2021-02-28). */
export function addMonths(iso: string, months: number): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not a date: ${iso}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1 + months, Number(m[3])];
  const target = new Date(Date.UTC(y, mo, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/**
 * Whole months covered by a term whose last day is `end` (inclusive): 2020-07-01 … 2020-12-31 is 6.
 * A term that ends mid-month counts the full months only.
 */
export function termMonths(start: string, end: string): number {
  const dayAfter = addDays(end, 1);
  let months = 0;
  while (addMonths(start, months + 1) <= dayAfter) months++;
  return months;
}

/** The notice asks for at least half a year (原则上不少于半年): the day after `end` is ≥ start + 6 months. */
export const MIN_TERM_MONTHS = 6;
export const termIsLongEnough = (start: string, end: string): boolean =>
  addDays(end, 1) >= addMonths(start, MIN_TERM_MONTHS);

// ---- the file ------------------------------------------------------------------------------------

const MAX_PROBLEMS = 8;

/**
 * Checks a projects file's JSON text: an array of projects, or `{ "projects": [...] }` (with an
 * optional `note`). Throws RunError('badDataFile') naming every problem and the project's id.
 */
export function parseProjects(source: string, file: string): Project[] {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (err) {
    throw badProjects(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  const wrapped = json !== null && typeof json === 'object' && !Array.isArray(json);
  if (wrapped) {
    const extra = Object.keys(json as object).filter((k) => k !== 'projects' && k !== 'note');
    if (extra.length > 0) throw badProjects(file, [`unknown top-level key(s): ${extra.join(', ')}`]);
  }
  const list = wrapped ? (json as { projects?: unknown }).projects : json;
  if (!Array.isArray(list)) {
    throw badProjects(file, ['expected an array of projects, or an object { "projects": [...] }']);
  }
  const parsed = ProjectListSchema.safeParse(list);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const [index, ...rest] = issue.path;
    const id = typeof index === 'number' ? (list[index] as { id?: unknown } | undefined)?.id : undefined;
    const where =
      `${wrapped ? 'projects' : ''}[${String(index)}]` +
      rest.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    return `${where}${typeof id === 'string' ? ` (${id})` : ''}: ${issue.message}`;
  });
  throw badProjects(file, problems);
}

export async function loadProjects(file: string): Promise<Project[]> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `Cannot read the projects file ${file}. 无法读取项目文件 ${file}。`,
      'Check the path; samples/projects.json is an example to copy.',
      { cause: err },
    );
  }
  return parseProjects(source, file);
}

function badProjects(file: string, problems: string[]): RunError {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `  - ${p}`);
  if (problems.length > MAX_PROBLEMS) shown.push(`  … and ${problems.length - MAX_PROBLEMS} more`);
  return new RunError(
    'badDataFile',
    `项目文件 ${file} 有 ${problems.length} 处错误 / projects file ${file} has ${problems.length} problem(s):\n${shown.join('\n')}`,
    'Fix the entries listed above; samples/projects.json shows every key in use.',
  );
}

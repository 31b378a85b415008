// 三方协议: the agreement the enterprise (甲方), the professional or team (乙方) and the dispatching
// unit (丙方) sign before the professional starts (notice 二、2 and 三). One draft per project,
// filled from the project; the clauses that vary (intellectual property, confidentiality, funding
// management, work mode, disputes) come from config/agreement.yaml, the fixed ones are in the
// template. A term shorter than half a year is an error for that project: no draft is written.
// Over 400 lines because the agreement's plan is one legal text: every clause's data is
// decided here, side by side, so that the parties' obligations read consistently.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { yamlData } from '../config-file.js';
import type { PdfConverter } from '../convert/index.js';
import { RunError } from '../errors.js';
import {
  DUTY_NAMES,
  type Duty,
  formatChineseDate,
  MIN_TERM_MONTHS,
  type Project,
  termIsLongEnough,
  termMonths,
} from '../projects/types.js';
import type { Party, Readiness } from '../projects/verify.js';
import { formatPath } from '../scores/config.js';
import {
  BLANK,
  type DocumentJob,
  type DocumentPlan,
  dateOrBlank,
  documentName,
  formatAmount,
  MissingCollector,
  markForReview,
  type PlanOutcome,
  printData,
  type RenderDocumentsSummary,
  renderDocuments,
  rmbUppercase,
  watermarkDrafts,
} from './documents.js';

export const DEFAULT_AGREEMENT_CONFIG = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../config/agreement.yaml',
);

// ---- configuration -------------------------------------------------------------------------------

const clause = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  // YAML's folded text joins lines with a space, which Chinese text must not have.
  .transform((s) =>
    s.replace(
      /([\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])\s+(?=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])/g,
      '$1',
    ),
  );

export const AgreementConfigSchema = z
  .strictObject({
    ipOwnership: z.strictObject({
      default: z.string().min(1),
      variants: z.record(
        z.string().regex(/^[a-zA-Z][A-Za-z0-9]*$/, 'variant keys are camelCase words'),
        z
          .strictObject({
            name: clause,
            text: clause,
            /** Percent of a shared result: 甲方 and 丙方, adding up to 100. */
            share: z
              .strictObject({
                enterprise: z.number().min(0).max(100),
                dispatchingUnit: z.number().min(0).max(100),
              })
              .refine((s) => s.enterprise + s.dispatchingUnit === 100, 'the two shares must add up to 100')
              .optional(),
          })
          .refine(
            (v) => !/\{(enterpriseShare|unitShare)\}/.test(v.text) || v.share !== undefined,
            'the text names {enterpriseShare}/{unitShare}: give share.enterprise and share.dispatchingUnit',
          ),
      ),
    }),
    confidentialityYears: z.number().int().min(1).max(50),
    confidentiality: clause,
    fundingSource: clause,
    fundingUse: clause,
    workMode: z.strictObject({
      fullTime: clause,
      partTime: clause,
    }),
    breach: clause,
    disputeResolution: clause,
    copies: z.number().int().min(3, 'at least one copy for each of the three parties').max(10),
  })
  .superRefine((c, ctx) => {
    if (!Object.hasOwn(c.ipOwnership.variants, c.ipOwnership.default)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ipOwnership', 'default'],
        message: `«${c.ipOwnership.default}» is not one of the variants (${Object.keys(c.ipOwnership.variants).join(', ')})`,
      });
    }
  });
export type AgreementConfig = z.infer<typeof AgreementConfigSchema>;

export function parseAgreementConfig(source: string, file: string): AgreementConfig {
  const { data, problems } = yamlData(source);
  if (problems.length === 0) {
    const parsed = AgreementConfigSchema.safeParse(data);
    if (parsed.success) return parsed.data;
    problems.push(...parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  }
  throw new RunError(
    'badDataFile',
    `协议配置 ${file} 有 ${problems.length} 处错误 / agreement configuration ${file} has ${problems.length} problem(s):\n` +
      problems.map((p) => `  - ${p}`).join('\n'),
    'Fix the entries listed above; the comments in config/agreement.yaml explain each key.',
  );
}

export async function loadAgreementConfig(file: string = DEFAULT_AGREEMENT_CONFIG): Promise<AgreementConfig> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `Cannot read the agreement configuration ${file}. 无法读取协议配置文件。`,
      'Check the path given to --config, or restore config/agreement.yaml from the repository.',
      { cause: err },
    );
  }
  return parseAgreementConfig(source, file);
}

// ---- the plan ------------------------------------------------------------------------------------

/** The notice's own wording of each duty (四（一）), used when the demand says nothing more specific. */
export const DUTY_DESCRIPTIONS: Record<Duty, string> = {
  solveProblems:
    '根据甲方生产经营中的技术难题，特别是产品转型升级难题，发挥学科专业优势，充分利用多方资源，帮助甲方攻克难题（含为甲方设计新产品）。',
  trainTeam:
    '帮助甲方加强技术人才队伍建设，培养有利于产业转型升级和长期发展的研发团队，并指导甲方申报各级各类科技创新计划。',
  buildPlatform: '帮助甲方组建或共建研发平台，完善企业技术创新体系，健全运行管理机制，提高企业创新能力。',
  transferResults:
    '将先进适用技术在甲方推广应用，或帮助甲方开展课题研究，将科研成果在甲方转化并至产业化应用，帮助甲方提高生产效益。',
};

const CHINESE_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1 → 一 … 10 → 十; larger numbers in digits. */
const cn = (n: number): string => CHINESE_NUMBERS[n - 1] ?? String(n);

/** The enterprise's need each duty answers, from its demand form (附件2). */
function needFor(project: Project, duty: Duty): string | null {
  const n = project.needs;
  const parts: (string | null | undefined)[] =
    duty === 'solveProblems'
      ? [n.problems]
      : duty === 'trainTeam'
        ? [n.teamTraining]
        : duty === 'buildPlatform'
          ? [n.rdPlatform]
          : [n.techTransfer, n.majorCooperation];
  const text = parts.filter((p): p is string => Boolean(p?.trim())).join('');
  return text || null;
}

const endWithStop = (s: string) => (/[。！？.!?]$/.test(s) ? s : `${s}。`);

export interface PlanLegalOptions {
  /** What the store says of the project's records and fields; without it nothing is marked. */
  readiness?: Readiness;
  /** Render a project that is not ready: each unverified or missing value marked, a 待核对 page. */
  draft?: boolean;
}

/**
 * The template data of one agreement, or the errors that stop it (a term under half a year, or
 * ending before it starts; with `readiness`, any unapproved record or empty term unless `draft`).
 * Pure.
 */
export function planAgreement(
  project: Project,
  config: AgreementConfig,
  legal: PlanLegalOptions = {},
): PlanOutcome {
  const errors: string[] = [];
  const warnings: string[] = [];
  const m = new MissingCollector();
  const { start, end } = project.term;
  if (start && end) {
    if (end < start) {
      errors.push(`合作期限结束日期 ${end} 早于开始日期 ${start} / the term ends before it starts`);
    } else if (!termIsLongEnough(start, end)) {
      errors.push(
        `合作期限 ${start} 至 ${end} 不足半年（通知要求原则上不少于半年）/ the term is shorter than ${MIN_TERM_MONTHS} months: ` +
          'extend term.end (结束日期 in the project terms workbook, or projects.json) before drafting the agreement',
      );
    }
  }
  const variantKey = project.agreement.ipOwnership ?? config.ipOwnership.default;
  const variant = config.ipOwnership.variants[variantKey];
  if (!variant) {
    errors.push(
      `知识产权约定 «${variantKey}» 不在 config/agreement.yaml 中 / unknown ipOwnership variant; choose one of ${Object.keys(config.ipOwnership.variants).join(', ')}`,
    );
  }
  if (legal.readiness && legal.readiness.problems.length > 0 && !legal.draft) {
    errors.push(...legal.readiness.problems.map((p) => p.message));
  }
  if (errors.length > 0 || !variant) return { ok: false, errors };

  const pro = project.professional;
  const isTeam = Boolean(pro.teamName);
  const tasks = project.tasks.map((t, i) => {
    const need = needFor(project, t.duty);
    let detail: string;
    if (t.detail) detail = endWithStop(t.detail);
    else if (need) detail = `甲方需求：${endWithStop(need)}`;
    else {
      detail = DUTY_DESCRIPTIONS[t.duty];
      warnings.push(
        `「${DUTY_NAMES[t.duty]}」在企业需求表中没有对应内容，已使用通知中的职责表述，请补充具体任务（tasks[${i}].detail）`,
      );
    }
    return { no: `（${cn(i + 1)}）`, name: DUTY_NAMES[t.duty], detail };
  });
  if (project.goals.length === 0) m.add('goals', '工作目标与考核指标');

  const months = start && end ? termMonths(start, end) : null;
  const days = project.daysPerYear
    ? `每年不少于${project.daysPerYear}个工作日`
    : project.daysPerMonth
      ? `每月不少于${project.daysPerMonth}个工作日`
      : null;
  if (!project.fullTime && days === null) m.add('daysPerYear', '每年在企业工作天数');
  const workModeText = project.fullTime
    ? config.workMode.fullTime
    : config.workMode.partTime.replaceAll('{time}', days ?? `每年不少于${BLANK}个工作日`);

  const f = project.funding;
  const source = config.fundingSource;
  const fundingText =
    f.granted != null
      ? `市科技局从${source}中对本项目给予工作和科研经费支持${formatAmount(f.granted)}万元（${rmbUppercase(f.granted)}）。`
      : f.requested != null
        ? `乙方向市科技局申请${source}支持${formatAmount(f.requested)}万元（${rmbUppercase(f.requested)}）；` +
          '市科技局组织专家评审后择优确定的金额（每人（团队）3万元至20万元）以立项通知为准，本条所列金额随之调整，无须另签补充协议。'
        : `市科技局从${source}中给予工作和科研经费支持，金额${BLANK}万元。`;
  if (f.granted == null && f.requested == null) m.add('funding.requested', '申请经费');
  const enterpriseFundingText =
    f.enterprise != null && f.enterprise > 0
      ? `甲方为本项目投入配套经费${formatAmount(f.enterprise)}万元（${rmbUppercase(f.enterprise)}），在协议签订后三十日内到位，用于乙方开展工作所需的材料、测试、中试和设备使用等支出，由甲方单独记账，接受市科技局检查。`
      : '甲方不另行投入配套资金，为乙方开展工作无偿提供必要的场地、设备、材料和生产条件。';
  const enterpriseDuty = f.enterprise != null && f.enterprise > 0 ? '按本协议第六条投入配套经费，' : '';
  const share = variant.share;
  const ipText = variant.text
    .replaceAll('{enterpriseShare}', share ? formatAmount(share.enterprise) : '')
    .replaceAll('{unitShare}', share ? formatAmount(share.dispatchingUnit) : '');

  const data: Record<string, unknown> = {
    agreementNo: project.id,
    draftNote:
      legal.draft && legal.readiness?.problems.length ? '草稿（含未经核对或尚未填写的内容，不得签署）' : '',
    enterpriseDuty,
    goalsBlank: BLANK,
    breachText: config.breach,
    'project.title': project.title,
    'enterprise.name': project.enterprise.name,
    'enterprise.legalRepresentative': m.take(
      project.enterprise.legalRepresentative,
      'enterprise.legalRepresentative',
      '甲方法定代表人',
    ),
    'enterprise.address': m.take(project.enterprise.address, 'enterprise.address', '甲方地址'),
    'enterprise.contactPerson': m.take(
      project.enterprise.contactPerson,
      'enterprise.contactPerson',
      '甲方联系人',
    ),
    'enterprise.contactPhone': m.take(
      project.enterprise.contactPhone,
      'enterprise.contactPhone',
      '甲方联系电话',
    ),
    'partyB.name': isTeam ? pro.teamName : pro.name,
    'partyB.kind': isTeam ? '入企团队' : '入企人才',
    'professional.name': pro.name,
    'professional.title': m.take(
      pro.professionalTitle,
      'professional.title',
      '乙方专业技术职称',
      'professional.professionalTitle',
    ),
    'professional.employerAndPosition': m.take(
      pro.employerAndPosition,
      'professional.employerAndPosition',
      '乙方现工作单位及职务',
    ),
    'professional.phone': m.take(pro.phone, 'professional.phone', '乙方联系电话'),
    isTeam,
    'team.size': isTeam
      ? m.take(
          pro.teamSize != null ? String(pro.teamSize) : null,
          'team.size',
          '团队入企人数',
          'professional.teamSize',
        )
      : '',
    'team.hasMembers': isTeam && (pro.members?.length ?? 0) > 0,
    'team.members':
      isTeam && pro.members && pro.members.length > 0
        ? pro.members.map((x) => (x.title ? `${x.name}（${x.title}）` : x.name)).join('、')
        : '',
    'team.memberRows': isTeam
      ? (pro.members?.length ? pro.members : [{ name: null, title: null, role: null }]).map((x, i) => ({
          no: String(i + 1),
          name: x.name ?? BLANK,
          title: x.title ?? BLANK,
          role: x.role ?? BLANK,
        }))
      : [],
    'unit.name': project.dispatchingUnit.name,
    'unit.legalRepresentative': m.take(
      project.dispatchingUnit.legalRepresentative,
      'unit.legalRepresentative',
      '丙方法定代表人',
      'dispatchingUnit.legalRepresentative',
    ),
    'unit.address': m.take(
      project.dispatchingUnit.address,
      'unit.address',
      '丙方地址',
      'dispatchingUnit.address',
    ),
    'unit.contactPerson': m.take(
      project.dispatchingUnit.contactPerson,
      'unit.contactPerson',
      '丙方联系人',
      'dispatchingUnit.contactPerson',
    ),
    'unit.contactPhone': m.take(
      project.dispatchingUnit.contactPhone,
      'unit.contactPhone',
      '丙方联系电话',
      'dispatchingUnit.contactPhone',
    ),
    'term.start': start ? formatChineseDate(start) : m.take(null, 'term.start', '合作开始日期'),
    'term.end': end ? formatChineseDate(end) : m.take(null, 'term.end', '合作结束日期'),
    'term.months': months !== null ? String(months) : m.take(null, 'term.months', '合作期限（月）'),
    tasks,
    plannedWork: project.plannedWork
      ? endWithStop(project.plannedWork)
      : m.take(null, 'plannedWork', '乙方拟在甲方开展的工作'),
    goals: project.goals.map((g, i) => ({ no: `${i + 1}.`, text: endWithStop(g) })),
    workMode: project.fullTime ? '全职' : '兼职',
    workModeText,
    position: project.position ?? '与其专业特长相应的协同创新岗位（职务）',
    fundingText,
    enterpriseFundingText,
    fundingUse: config.fundingUse,
    'ip.name': variant.name,
    ipText,
    confidentialityText: config.confidentiality.replaceAll('{years}', String(config.confidentialityYears)),
    disputeText: config.disputeResolution,
    copies: String(config.copies),
    copiesText:
      `本协议一式${cn(config.copies)}份，甲、乙、丙三方各执一份` +
      `${config.copies > 3 ? `，报市科技局备案${cn(config.copies - 3)}份` : ''}，具有同等法律效力。`,
    'partyB.signLabel': isTeam ? '团队负责人（签字）：' : '（签字）：',
    signedDate: dateOrBlank(project.agreement.signedDate),
  };
  const plan = markForReview(printData(data), m.list, project, legal, AGREEMENT_PARTY_KEYS);
  return { ok: true, plan: { ...plan, warnings } satisfies DocumentPlan };
}

/** Data keys whose values come from each party's form. */
const AGREEMENT_PARTY_KEYS: Record<Party, readonly string[]> = {
  enterprise: [
    'enterprise.name',
    'enterprise.legalRepresentative',
    'enterprise.contactPerson',
    'enterprise.contactPhone',
  ],
  professional: [
    'partyB.name',
    'professional.name',
    'professional.title',
    'professional.employerAndPosition',
    'professional.phone',
    'team.size',
    'plannedWork',
    'unit.name',
  ],
};

// ---- rendering -----------------------------------------------------------------------------------

export interface RenderAgreementsOptions {
  outDir: string;
  pdf: boolean;
  config: AgreementConfig;
  /** Per project id: what keeps it from being signed (see projects/verify.ts). */
  readiness?: ReadonlyMap<string, Readiness>;
  draft?: boolean;
  converter?: PdfConverter;
  template?: string;
}

/**
 * Writes `<outDir>/2020-XT-001 企业-乙方-三方协议.docx` (+ .pdf) for each project whose plan
 * succeeds. With `readiness`, a project that is not ready is refused (or, with `draft`, marked).
 */
export async function renderAgreements(
  projects: readonly Project[],
  options: RenderAgreementsOptions,
): Promise<RenderDocumentsSummary> {
  const jobs: DocumentJob[] = projects.map((p) => ({
    id: p.id,
    name: documentName(p, '三方协议'),
    outcome: planAgreement(p, options.config, {
      readiness: options.readiness?.get(p.id),
      draft: options.draft,
    }),
  }));
  const summary = await renderDocuments('agreement', jobs, options);
  if (options.draft) await watermarkDrafts(summary, options.readiness);
  return summary;
}

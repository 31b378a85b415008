// Is a project ready to print as a legal document? An agreement or a certificate binds three
// parties: every value about a party must come from a form a person has approved (已核对), and
// every term the document states must be filled in. This is the one place that says which values
// a document needs; `render agreements|certificates` refuse a project with any problem here
// (naming the record or the field) unless asked for a draft, and a draft marks the same values.
import type { FormKind } from '../types.js';
import type { Project } from './types.js';

/** What the renderers need to know of a source record. */
export interface SourceRecordState {
  id: string;
  form: FormKind;
  verified: boolean;
  /** Name, enterprise or problem title: how a clerk finds the record in review. */
  title: string;
}

export type LegalDocument = 'agreement' | 'certificate';

/** The party a record speaks for, in the document's words. */
export type Party = 'enterprise' | 'professional';

export interface ReadinessProblem {
  /** A record that is not approved (or not in the database), or a project value that is empty. */
  kind: 'record' | 'field';
  /** For a record: its id. For a field: the project's dotted path. */
  ref: string;
  /** In Chinese: 甲方 企业需求表 dem-… 「…」, or 甲方地址. */
  label: string;
  /** For a record: whose values it holds. */
  party?: Party;
  message: string;
}

export interface Readiness {
  problems: ReadinessProblem[];
  /** Parties whose record is not approved: a draft marks their values. */
  unverified: Set<Party>;
  /** Project paths of the required values that are empty: a draft marks their blanks. */
  missing: Set<string>;
}

const PARTY_RECORD: Record<Party, { source: 'demand' | 'registration'; label: string; form: string }> = {
  enterprise: { source: 'demand', label: '甲方', form: '企业需求表' },
  professional: { source: 'registration', label: '乙方', form: '报名表' },
};

type Required = [path: string, label: string, value: (p: Project) => unknown];

const filled = (v: unknown): boolean =>
  v !== null &&
  v !== undefined &&
  !(typeof v === 'string' && v.trim() === '') &&
  !(Array.isArray(v) && v.length === 0);

/** The values an agreement states; each must be there before three parties sign it. */
export const AGREEMENT_FIELDS: readonly Required[] = [
  ['title', '项目名称', (p) => p.title],
  ['enterprise.legalRepresentative', '甲方法定代表人', (p) => p.enterprise.legalRepresentative],
  ['enterprise.address', '甲方地址', (p) => p.enterprise.address],
  ['enterprise.contactPerson', '甲方联系人', (p) => p.enterprise.contactPerson],
  ['enterprise.contactPhone', '甲方联系电话', (p) => p.enterprise.contactPhone],
  ['professional.professionalTitle', '乙方专业技术职称', (p) => p.professional.professionalTitle],
  ['professional.employerAndPosition', '乙方现工作单位及职务', (p) => p.professional.employerAndPosition],
  ['professional.phone', '乙方联系电话', (p) => p.professional.phone],
  ['dispatchingUnit.legalRepresentative', '丙方法定代表人', (p) => p.dispatchingUnit.legalRepresentative],
  ['dispatchingUnit.address', '丙方地址', (p) => p.dispatchingUnit.address],
  ['dispatchingUnit.contactPerson', '丙方联系人', (p) => p.dispatchingUnit.contactPerson],
  ['dispatchingUnit.contactPhone', '丙方联系电话', (p) => p.dispatchingUnit.contactPhone],
  ['term.start', '合作开始日期', (p) => p.term.start],
  ['term.end', '合作结束日期', (p) => p.term.end],
  ['goals', '工作目标与考核指标', (p) => p.goals],
  ['funding.requested', '申请经费', (p) => p.funding.granted ?? p.funding.requested],
  ['daysPerYear', '每年在企业工作天数', (p) => (p.fullTime ? 'full' : (p.daysPerYear ?? p.daysPerMonth))],
  ['professional.members', '团队成员名单', (p) => (p.professional.teamName ? p.professional.members : 'n/a')],
  [
    'professional.teamSize',
    '团队入企人数',
    (p) => (p.professional.teamName ? p.professional.teamSize : 'n/a'),
  ],
];

/** The values a certificate states, on top of the project's own. */
export const CERTIFICATE_FIELDS: readonly Required[] = [
  ['title', '项目名称', (p) => p.title],
  ['term.start', '实施期限（开始）', (p) => p.term.start],
  ['term.end', '实施期限（结束）', (p) => p.term.end],
  ['goals', '协议约定的工作目标', (p) => p.goals],
  ['funding.granted', '市科技局支持经费', (p) => p.funding.granted],
  ['acceptance.certificateNo', '证书编号', (p) => p.acceptance?.certificateNo],
  ['acceptance.date', '验收日期', (p) => p.acceptance?.date],
  ['acceptance.results', '目标完成情况', (p) => p.acceptance?.results],
  ['acceptance.enterpriseOpinion', '甲方意见', (p) => p.acceptance?.enterpriseOpinion],
  ['acceptance.unitOpinion', '派出单位意见', (p) => p.acceptance?.unitOpinion],
  ['acceptance.fundingUse', '经费使用情况', (p) => p.acceptance?.fundingUse],
  ['acceptance.opinion', '验收专家组意见', (p) => p.acceptance?.opinion],
  ['acceptance.experts', '验收专家组名单', (p) => p.acceptance?.experts],
];

/**
 * The problems that keep `project` from being printed as `doc`. `records` holds the state of every
 * record the store knows; a source record it does not hold cannot be vouched for either.
 */
export function readiness(
  project: Project,
  doc: LegalDocument,
  records: ReadonlyMap<string, SourceRecordState>,
): Readiness {
  const problems: ReadinessProblem[] = [];
  const unverified = new Set<Party>();
  const missing = new Set<string>();
  for (const party of ['enterprise', 'professional'] as const) {
    const { source, label, form } = PARTY_RECORD[party];
    const id = project.sources[source];
    const record = id ? records.get(id) : undefined;
    if (record?.verified) continue;
    unverified.add(party);
    const name = party === 'enterprise' ? project.enterprise.name : project.professional.name;
    problems.push({
      kind: 'record',
      party,
      ref: id ?? '',
      // The label goes on paper (the draft's 待核对 page): the form and the name, never the store's id.
      label: `${label}${form}「${record?.title || name}」`,
      message: !id
        ? `${label}（${name}）没有来源表格，无法核实`
        : !record
          ? `${label}${form} ${id}（${name}）不在数据库中，无法核实`
          : `${label}${form} ${id}「${record.title || name}」尚未核对（xietong review 或 xietong store approve ${id}）`,
    });
  }
  for (const [path, label, value] of doc === 'agreement' ? AGREEMENT_FIELDS : CERTIFICATE_FIELDS) {
    if (filled(value(project))) continue;
    missing.add(path);
    problems.push({ kind: 'field', ref: path, label, message: `${label}（${path}）未填写` });
  }
  // A team signs for its members: the annex must name as many people as the team says it sends.
  const { teamName, teamSize, members } = project.professional;
  if (doc === 'agreement' && teamName && teamSize && members?.length && members.length !== teamSize) {
    problems.push({
      kind: 'field',
      ref: 'professional.members',
      label: '团队成员名单',
      message: `团队成员名单列了 ${members.length} 人，与团队入企人数 ${teamSize} 人不符（professional.members）`,
    });
  }
  return { problems, unverified, missing };
}

/** One line per problem, for a refusal: «2020-XT-003：乙方报名表 reg-… 尚未核对；甲方地址（enterprise.address）未填写». */
export const problemsText = (r: Readiness): string => r.problems.map((p) => p.message).join('；');

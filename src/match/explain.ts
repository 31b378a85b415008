// Turning a suggestion's shared words into a line a clerk can read in one spreadsheet cell:
// 隧道窑〔难题、现状 → 擅长、拟开展〕；能耗≈余热回收、节能改造〔难题 → 擅长〕
import { fieldDef } from '../forms/index.js';
import type { FormKind } from '../types.js';
import type { SharedTerm } from './rank.js';

// Short names: the forms' own headers (需解决的难题及预期效果 …) do not fit many times in one cell.
const SHORT_LABELS: Record<string, string> = {
  'needs.problems': '难题',
  'needs.teamTraining': '人才培养',
  'needs.rdPlatform': '研发平台',
  'needs.techTransfer': '成果转化',
  'needs.majorCooperation': '合作项目',
  'needs.urgentTalent': '急需人才',
  mainProducts: '主要产品',
  techStatus: '技术现状',
  expertise: '擅长领域',
  profile: '简介业绩',
  plannedWork: '拟开展工作',
  teamName: '团队名称',
  title: '难题名称',
  description: '难题描述',
  industry: '所属产业',
};

/** A field's short Chinese label for explanations. */
export function fieldLabel(form: FormKind, key: string): string {
  return SHORT_LABELS[key] ?? fieldDef(form, key)?.header ?? key;
}

// Words are compared lower-cased; Latin in this domain is acronyms and names (3D打印, SMT, STM32).
export const displayTerm = (w: string): string => w.replace(/[a-z]+/g, (m) => m.toUpperCase());

/** One shared word: the demand's word, its synonyms met (≈), and where each side wrote it. */
export function formatSharedTerm(t: SharedTerm, queryForm: 'demand' | 'problem'): string {
  const word = displayTerm(t.via === 'same' ? t.term : `${t.term}≈${t.matched.join('、')}`);
  const from = t.queryFields.map((k) => fieldLabel(queryForm, k)).join('、');
  const to = t.docFields.map((k) => fieldLabel('registration', k)).join('、');
  return `${word}〔${from} → ${to}〕`;
}

/** The strongest shared words, joined for one cell; `max` keeps the cell readable. */
export function formatSharedTerms(
  terms: readonly SharedTerm[],
  queryForm: 'demand' | 'problem',
  max = 10,
): string {
  const shown = terms.slice(0, max).map((t) => formatSharedTerm(t, queryForm));
  if (terms.length > max) shown.push(`等 ${terms.length} 个`);
  return shown.join('；');
}

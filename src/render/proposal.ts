// 评审结果与经费建议: the outcome of `scores import` as an A4 document the panel's leader and the
// bureau sign. Every project the workbooks were made for is listed — one that could not be ranked
// with the reason — so none drops out of the proposal silently.
import type { PdfConverter } from '../convert/index.js';
import { formatChineseDate, type Project } from '../projects/types.js';
import type { Aggregation } from '../scores/aggregate.js';
import {
  BLANK,
  type DocumentJob,
  type DocumentPlan,
  formatAmount,
  printData,
  type RenderDocumentsSummary,
  renderDocuments,
} from './documents.js';

/** The template data of the proposal. Pure. */
export function planProposal(
  aggregation: Aggregation,
  projects: readonly Project[],
  date: string | null,
): DocumentPlan {
  const rows = aggregation.projects.map((r) => {
    const p = projects.find((x) => x.id === r.projectId);
    return {
      rank: r.rank === null ? '—' : String(r.rank),
      id: r.projectId,
      enterprise: r.enterprise ?? p?.enterprise.name ?? BLANK,
      professional: r.professional ?? p?.professional.teamName ?? p?.professional.name ?? BLANK,
      mean: r.mean === null ? '—' : r.mean.toFixed(2),
      requested: r.requested === null ? '—' : formatAmount(r.requested),
      proposed: r.proposed === null ? '不资助' : formatAmount(r.proposed),
      note: r.rank === null ? `未能排序：${r.note || '无有效评分'}` : r.note,
    };
  });
  const ranked = aggregation.projects.filter((r) => r.rank !== null).length;
  const funded = aggregation.projects.filter((r) => r.proposed !== null).length;
  const data: Record<string, unknown> = {
    date: date
      ? formatChineseDate(date)
      : `${'\u3000'.repeat(3)}年${'\u3000'.repeat(2)}月${'\u3000'.repeat(2)}日`,
    summary:
      `参加评审项目 ${aggregation.projects.length} 个，排序 ${ranked} 个` +
      `${ranked < aggregation.projects.length ? `（${aggregation.projects.length - ranked} 个未能排序，原因见说明）` : ''}；` +
      `建议资助 ${funded} 个（金额单位：万元）。${aggregation.dropExtremesFrom !== null ? `${aggregation.dropExtremesFrom} 位及以上专家评分的项目去掉一个最高分和一个最低分后取平均。` : ''}`,
    rows,
    total:
      `建议资助合计 ${formatAmount(aggregation.totalProposed)} 万元` +
      `${aggregation.budget !== null ? `（年度预算 ${formatAmount(aggregation.budget)} 万元）` : ''}。`,
  };
  return { data: printData(data), missing: [], warnings: [] };
}

export interface RenderProposalOptions {
  outDir: string;
  pdf: boolean;
  converter?: PdfConverter;
  /** 评审日期, YYYY-MM-DD; blank to write by hand without it. */
  date?: string | null;
}

/** Writes `<outDir>/评审结果与经费建议.docx` (+ .pdf). */
export function renderProposal(
  aggregation: Aggregation,
  projects: readonly Project[],
  options: RenderProposalOptions,
): Promise<RenderDocumentsSummary> {
  const job: DocumentJob = {
    id: 'proposal',
    name: '评审结果与经费建议',
    outcome: { ok: true, plan: planProposal(aggregation, projects, options.date ?? null) },
  };
  return renderDocuments('proposal', [job], options);
}

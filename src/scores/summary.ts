// The summary workbook the bureau reads after an evaluation: the ranking with the funding
// proposal, every expert's scores (with the dropped ones marked), and every problem found while
// importing. Values, not formulas: it records what was computed and from what.
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../workbook.js';
import { type Aggregation, FLAG_NAMES } from './aggregate.js';
import type { ScoringConfig } from './config.js';
import type { ScoreIssue } from './import.js';
import { finishXlsx } from './workbook.js';

const HEADER_FILL = 'FFD9E1F2';
const FLAG_FILL = 'FFFCE4D6';
const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const box = { top: thin, left: thin, bottom: thin, right: thin };

const SEVERITY_NAMES = { error: '错误', warning: '警告', info: '提示' } as const;

function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: { header: string; width: number }[],
  rows: (string | number | null)[][],
  highlight?: (row: number) => boolean,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
  });
  const head = ws.addRow(columns.map((c) => c.header));
  head.height = 30;
  head.eachCell((cell) => {
    cell.font = { name: '黑体' };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.border = box;
  });
  rows.forEach((values, i) => {
    const row = ws.addRow(values);
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { name: '宋体' };
      cell.alignment = { vertical: 'middle', wrapText: true };
      cell.border = box;
      if (highlight?.(i)) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FLAG_FILL } };
    });
  });
  if (rows.length > 0)
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return ws;
}

export interface SummaryOptions {
  aggregation: Aggregation;
  issues: readonly ScoreIssue[];
  config: ScoringConfig;
  /** The workbooks read, for the record. */
  sources: readonly string[];
  date?: Date;
}

export async function buildSummaryWorkbook(options: SummaryOptions): Promise<Buffer> {
  const { aggregation, issues, config } = options;
  const date = options.date ?? new Date();
  const wb = await newWorkbook();
  wb.creator = 'xietong';
  wb.created = date;
  wb.modified = date;

  const ranking = aggregation.projects;
  sheet(
    wb,
    '汇总',
    [
      { header: '排名', width: 6 },
      { header: '项目编号', width: 14 },
      { header: '项目名称', width: 34 },
      { header: '承担企业', width: 28 },
      { header: '入企人才（团队）', width: 22 },
      { header: '评分专家数', width: 8 },
      { header: '计分专家数', width: 8 },
      { header: '平均分', width: 9 },
      ...config.criteria.map((c) => ({ header: `${c.name}（均分，满分${c.points}）`, width: 11 })),
      { header: '最高分', width: 8 },
      { header: '最低分', width: 8 },
      { header: '极差', width: 7 },
      { header: '申请经费（万元）', width: 10 },
      { header: '建议资助（万元）', width: 10 },
      { header: '提示', width: 24 },
      { header: '说明', width: 40 },
    ],
    ranking.map((r) => [
      r.rank,
      r.projectId,
      r.title,
      r.enterprise,
      r.professional,
      r.experts.length,
      r.used,
      r.mean,
      ...config.criteria.map((c) => r.criterionMeans[c.key] ?? null),
      r.max,
      r.min,
      r.spread,
      r.requested,
      r.proposed,
      r.flags.map((f) => FLAG_NAMES[f]).join('；') || null,
      r.note || null,
    ]),
    (i) => (ranking[i]?.flags.length ?? 0) > 0,
  );
  const summary = wb.getWorksheet('汇总') as ExcelJS.Worksheet;
  summary.addRow([]);
  const footer = [
    `建议资助合计：${aggregation.totalProposed} 万元${aggregation.budget !== null ? `（预算 ${aggregation.budget} 万元）` : ''}`,
    aggregation.dropExtremesFrom !== null
      ? `${aggregation.dropExtremesFrom} 位及以上专家评分的项目去掉一个最高分和一个最低分后取平均分。`
      : '平均分为全部专家评分的平均值。',
    `资助档次：${config.funding.tiers.map((t) => `≥${t.minScore} 分 ${t.amount} 万元`).join('，')}；以申请额为限；单个项目 3–20 万元。`,
    `来源：${options.sources.join('、')}`,
  ];
  for (const line of footer) summary.addRow([line]).getCell(1).font = { name: '宋体' };

  const detail: (string | number | null)[][] = [];
  for (const r of ranking) {
    for (const e of r.experts) {
      detail.push([
        r.projectId,
        r.title,
        e.expertKey,
        e.expertName,
        ...config.criteria.map((c) => e.scores[c.key] ?? null),
        e.total,
        e.dropped === 'highest' ? '去掉（最高分）' : e.dropped === 'lowest' ? '去掉（最低分）' : '计入',
        e.opinion,
      ]);
    }
  }
  sheet(
    wb,
    '明细',
    [
      { header: '项目编号', width: 14 },
      { header: '项目名称', width: 30 },
      { header: '专家编号', width: 10 },
      { header: '专家姓名', width: 12 },
      ...config.criteria.map((c) => ({ header: `${c.name}（${c.points}）`, width: 10 })),
      { header: '合计', width: 8 },
      { header: '计分', width: 14 },
      { header: '评审意见', width: 40 },
    ],
    detail,
    (i) => String(detail[i]?.[4 + config.criteria.length + 1] ?? '').startsWith('去掉'),
  );

  sheet(
    wb,
    '问题',
    [
      { header: '级别', width: 8 },
      { header: '代码', width: 18 },
      { header: '文件', width: 24 },
      { header: '工作表', width: 16 },
      { header: '单元格', width: 8 },
      { header: '项目编号', width: 14 },
      { header: '说明', width: 70 },
    ],
    issues.map((i) => [
      SEVERITY_NAMES[i.severity],
      i.code,
      i.workbook,
      i.sheet ?? null,
      i.cell ?? null,
      i.projectId ?? null,
      i.message,
    ]),
    (i) => issues[i]?.severity === 'error',
  );

  return finishXlsx(Buffer.from(await wb.xlsx.writeBuffer()), date, false);
}

// 评审打分表: the sheet an expert fills in on a site visit (one per project and expert: the project's
// facts, the notice's criteria with their points and bands, an empty score column, total, opinion,
// name, signature and date), and the workbook the scores are typed into afterwards.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PdfConverter } from '../convert/index.js';
import { DUTY_NAMES, eligibilityDoubts, formatChineseDate, type Project } from '../projects/types.js';
import type { ScoringConfig } from '../scores/config.js';
import { assignPanel, type PanelExpert, type PanelProblem } from '../scores/experts.js';
import { buildScoreWorkbook, type WorkbookMeta } from '../scores/workbook.js';
import {
  type DocumentJob,
  type DocumentPlan,
  dateOrBlank,
  documentName,
  formatAmount,
  MissingCollector,
  printData,
  type RenderDocumentsSummary,
  renderDocuments,
} from './documents.js';

/** 乙方 as one line: the team (with its leader) or the person, with the title. */
export function professionalLine(p: Project): string {
  const pro = p.professional;
  const person = pro.professionalTitle ? `${pro.name}（${pro.professionalTitle}）` : pro.name;
  return pro.teamName ? `${pro.teamName}（负责人：${person}）` : person;
}

/** The term as printed, or null when either end is unknown. */
export function termLine(p: Project): string | null {
  const { start, end } = p.term;
  return start && end ? `${formatChineseDate(start)}至${formatChineseDate(end)}` : null;
}

export const workModeOf = (p: Project): string => (p.fullTime ? '全职入企' : '兼职入企');

/** The template data of one score sheet. Pure. `expert` null: an anonymous sheet signed by hand. */
export function planScoreSheet(
  project: Project,
  expert: PanelExpert | null,
  config: ScoringConfig,
): DocumentPlan {
  const m = new MissingCollector();
  const data: Record<string, unknown> = {
    'project.id': project.id,
    'project.title': project.title,
    'enterprise.name': project.enterprise.name,
    'enterprise.district': m.take(
      project.enterprise.district,
      'enterprise.district',
      '企业所属县（市、区）、园区',
    ),
    professional: professionalLine(project),
    'dispatchingUnit.name': project.dispatchingUnit.name,
    term: m.take(termLine(project), 'term', '合作期限', 'term.start / term.end'),
    workMode: workModeOf(project),
    duties: project.tasks.map((t) => DUTY_NAMES[t.duty]).join('、'),
    'funding.requested':
      project.funding.requested != null
        ? `${formatAmount(project.funding.requested)}万元`
        : m.take(null, 'funding.requested', '申请经费'),
    // Anonymous sheets leave the name to be written by hand: blank by design, not missing.
    'expert.key': expert?.key ?? '',
    'expert.name': expert?.name ?? '',
    'expert.employer': [expert?.employer, expert?.title].filter(Boolean).join('  '),
    'evaluation.date': dateOrBlank(project.evaluation.date),
    total: String(config.total),
    criteria: config.criteria.map((c) => ({
      name: c.name,
      points: String(c.points),
      bands: c.bands.map((b) => ({
        band: `${b.label} ${b.min === b.max ? b.min : `${b.min}–${b.max}`}`,
        description: b.description,
      })),
    })),
    doubts: eligibilityDoubts(project).join('；') || '无',
    preferences: config.preferences.length > 0 ? `${config.preferences.join('、')}的项目择优支持。` : '',
  };
  return { data: printData(data), missing: m.list, warnings: [] };
}

export interface RenderScoreSheetsOptions {
  outDir: string;
  pdf: boolean;
  config: ScoringConfig;
  /** The panel for every project; without it each project's evaluation.experts. */
  experts?: readonly PanelExpert[];
  converter?: PdfConverter;
  template?: string;
  /** The workbook's created date (fixed in tests and samples). */
  date?: Date;
}

export interface RenderScoreSheetsResult {
  sheets: RenderDocumentsSummary;
  workbook: string | null;
  meta: WorkbookMeta | null;
  /** Projects left without a sheet: no panel. */
  panelProblems: PanelProblem[];
}

/** Writes `<outDir>/<project>-<expert>.docx` (+ .pdf) and `<outDir>/评分录入表.xlsx`. */
export async function renderScoreSheets(
  projects: readonly Project[],
  options: RenderScoreSheetsOptions,
): Promise<RenderScoreSheetsResult> {
  const { assignments, problems } = assignPanel(projects, options.experts);
  const jobs: DocumentJob[] = [];
  // Project by project, so the sheets of one visit sort together.
  for (const project of projects) {
    for (const { expert, projects: theirs } of assignments) {
      if (!theirs.some((p) => p.id === project.id)) continue;
      jobs.push({
        id: `${project.id} ${expert.key}`,
        name: `${documentName(project, '评审打分表')}-${expert.key}`,
        outcome: { ok: true, plan: planScoreSheet(project, expert, options.config) },
      });
    }
  }
  const sheets = await renderDocuments('scoresheet', jobs, {
    outDir: options.outDir,
    pdf: options.pdf,
    converter: options.converter,
    template: options.template,
  });
  if (assignments.length === 0) return { sheets, workbook: null, meta: null, panelProblems: problems };
  const { buffer, meta } = await buildScoreWorkbook({
    assignments,
    config: options.config,
    date: options.date,
  });
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const workbook = join(outDir, '评分录入表.xlsx');
  await writeFile(workbook, buffer);
  return { sheets, workbook, meta, panelProblems: problems };
}

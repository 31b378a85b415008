// Reading filled score workbooks back. Every cell is checked against the criteria the workbook was
// made for; a row with any problem is left out of the averages and named (workbook, sheet, cell),
// never guessed at. The same expert's sheet may come back in several copies (each expert fills
// the copy sent to them): empty copies are ignored, identical ones count once, different ones are
// a conflict nobody can settle automatically.
// Over 400 lines because every check of a cell is here, so that no cell is read without them.
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../workbook.js';
import { checkZip, WORKBOOK_ZIP_LIMITS, ZipLimitError } from '../zip.js';
import type { ScoringConfig } from './config.js';
import { GUIDE_SHEET, LAYOUT, readMeta, type WorkbookMeta } from './workbook.js';

export interface ScoreEntry {
  workbook: string;
  sheet: string;
  expertKey: string;
  /** As typed on the sheet (anonymous sheets) or as printed. */
  expertName: string | null;
  projectId: string;
  /** The project's title as printed on the sheet (for a summary without projects.json). */
  projectTitle: string | null;
  /** Criterion key → score. */
  scores: Record<string, number>;
  total: number;
  opinion: string | null;
  /** The sheet's 评审日期, YYYY-MM-DD. */
  date: string | null;
}

export const SCORE_ISSUE_CODES = [
  'not_a_score_workbook',
  'config_mismatch',
  'unknown_sheet',
  'missing_sheet',
  'unknown_project',
  'not_a_number',
  'out_of_range',
  'off_step',
  'missing_score',
  'not_scored',
  'missing_name',
  'conflict',
  'duplicate',
  'formula',
  'too_many_rows',
  'archive_too_large',
] as const;
export type ScoreIssueCode = (typeof SCORE_ISSUE_CODES)[number];

export interface ScoreIssue {
  code: ScoreIssueCode;
  severity: 'error' | 'warning' | 'info';
  workbook: string;
  sheet?: string;
  /** A1 reference of the offending cell or row start. */
  cell?: string;
  projectId?: string;
  expertKey?: string;
  message: string;
}

export interface WorkbookReading {
  entries: ScoreEntry[];
  issues: ScoreIssue[];
  /** Sheets that held at least one score. */
  filledSheets: string[];
  /** Every project some sheet of the workbook was made for. */
  projectIds: string[];
}

/** 1 → A, 27 → AA: the column letters a cell reference is written with. */
export const colName = (n: number): string => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

/** A cell's value as a number, '' when empty, or undefined when it is not a number. */
export function cellNumber(value: ExcelJS.CellValue): number | '' | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const s = value.normalize('NFKC').trim();
    if (s === '') return '';
    return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
  }
  if (typeof value === 'object' && 'result' in value) return cellNumber(value.result as ExcelJS.CellValue);
  if (typeof value === 'object' && 'richText' in value) {
    return cellNumber(value.richText.map((r) => r.text).join(''));
  }
  return undefined;
}

function cellText(value: ExcelJS.CellValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value)
    return (
      value.richText
        .map((r) => r.text)
        .join('')
        .trim() || null
    );
  if (typeof value === 'object' && 'result' in value) return cellText(value.result as ExcelJS.CellValue);
  return String(value);
}

function cellDate(value: ExcelJS.CellValue): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const s = cellText(value);
  if (!s) return null;
  const m = /^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$/.exec(s.normalize('NFKC'));
  return m ? `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}` : null;
}

const isFormula = (v: ExcelJS.CellValue): boolean =>
  typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v);

/** A typed cell's value; a formula's cached result is not one. */
const typedOnly = (v: ExcelJS.CellValue): ExcelJS.CellValue => (isFormula(v) ? null : v);

/** Rows read past a sheet's last project (typed below by mistake) before the rest is set aside. */
const EXTRA_ROWS = 50;

/** Is the workbook's criteria list the configuration's (same keys, same order, same maxima)? */
function sameCriteria(meta: WorkbookMeta, config: ScoringConfig): boolean {
  return (
    meta.criteria.length === config.criteria.length &&
    meta.criteria.every(
      (c, i) => c.key === config.criteria[i]?.key && c.points === config.criteria[i]?.points,
    )
  );
}

export interface ReadOptions {
  /** Ids of the projects being scored; others are unknown. Default: the workbook's own list. */
  projectIds?: ReadonlySet<string>;
}

/** Reads one filled workbook. Never throws for bad content: problems are issues. */
export async function readScoreWorkbook(
  buffer: Buffer,
  name: string,
  config: ScoringConfig,
  options: ReadOptions = {},
): Promise<WorkbookReading> {
  const issues: ScoreIssue[] = [];
  const entries: ScoreEntry[] = [];
  const filledSheets: string[] = [];
  try {
    checkZip(buffer, WORKBOOK_ZIP_LIMITS);
  } catch (err) {
    if (err instanceof ZipLimitError) {
      issues.push({
        code: 'archive_too_large',
        severity: 'error',
        workbook: name,
        message: `${name} 解压后过大或条目过多，已拒绝读取（疑似“压缩炸弹”）/ refused: ${err.message}`,
      });
      return { entries, issues, filledSheets, projectIds: [] };
    }
    // Not a zip at all: exceljs below says so in its own words.
  }
  const wb = await newWorkbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (err) {
    issues.push({
      code: 'not_a_score_workbook',
      severity: 'error',
      workbook: name,
      message: `无法读取 ${name}：不是 .xlsx 文件 / cannot read it as .xlsx (${(err as Error).message})`,
    });
    return { entries, issues, filledSheets, projectIds: [] };
  }
  const read = readMeta(wb);
  if (!read.ok) {
    issues.push({
      code: 'not_a_score_workbook',
      severity: 'error',
      workbook: name,
      message: `${name} 不是 xietong 生成的评分录入表，或其隐藏的说明页已被改动 / not a score workbook made by \`xietong render scoresheets\` (${read.problem})`,
    });
    return { entries, issues, filledSheets, projectIds: [] };
  }
  const meta = read.meta;
  if (!sameCriteria(meta, config) || meta.step !== config.step) {
    issues.push({
      code: 'config_mismatch',
      severity: 'error',
      workbook: name,
      message:
        `${name} 的评审指标与当前评分配置不一致 / its criteria (${meta.criteria.map((c) => `${c.name} ${c.points}`).join('、')}) ` +
        'differ from config/scoring.yaml: import it with the configuration it was made with (--config)',
    });
    return { entries, issues, filledSheets, projectIds: [] };
  }

  const known = new Set(meta.sheets.map((s) => s.sheet));
  for (const ws of wb.worksheets) {
    if (ws.state === 'veryHidden' || ws.name === GUIDE_SHEET || known.has(ws.name)) continue;
    issues.push({
      code: 'unknown_sheet',
      severity: 'warning',
      workbook: name,
      sheet: ws.name,
      message: `工作表「${ws.name}」不是某位专家的评分表，已忽略 / sheet not made for an expert: ignored`,
    });
  }

  for (const sm of meta.sheets) {
    const ws = wb.getWorksheet(sm.sheet);
    if (!ws) {
      issues.push({
        code: 'missing_sheet',
        severity: 'error',
        workbook: name,
        sheet: sm.sheet,
        expertKey: sm.expert.key,
        message: `缺少专家 ${sm.expert.key} 的工作表「${sm.sheet}」/ the expert's sheet was deleted or renamed`,
      });
      continue;
    }
    const sheetIssues: ScoreIssue[] = [];
    const sheetEntries: ScoreEntry[] = [];
    // The name and date cells are typed too: a formula there is named and its cached result not taken.
    const typed = (ref: string, what: string): ExcelJS.CellValue => {
      const v = ws.getCell(ref).value;
      if (!isFormula(v)) return v;
      sheetIssues.push({
        workbook: name,
        sheet: sm.sheet,
        expertKey: sm.expert.key,
        cell: ref,
        code: 'formula',
        severity: 'warning',
        message: `工作表「${sm.sheet}」的${what}是公式（${ref}），未采用，请直接填写 / a formula, not typed: ignored`,
      });
      return null;
    };
    const typedName = cellText(typed(LAYOUT.expertNameCell, '评审专家姓名'));
    const expertName = sm.expert.name ?? typedName;
    const date = cellDate(typed(LAYOUT.dateCell, '评审日期'));
    const expected = options.projectIds ?? new Set(sm.projects);
    let anyScore = false;
    const scoredIds = new Set<string>();
    const n = meta.criteria.length;
    // Rows past the sheet's projects are read only so far: junk pasted below is named once, not per row.
    const lastRow = Math.min(
      Math.max(ws.rowCount, meta.firstRow + sm.projects.length - 1),
      meta.firstRow + sm.projects.length - 1 + EXTRA_ROWS,
    );
    if (ws.rowCount > lastRow) {
      sheetIssues.push({
        workbook: name,
        sheet: sm.sheet,
        expertKey: sm.expert.key,
        cell: `A${lastRow + 1}`,
        code: 'too_many_rows',
        severity: 'warning',
        message: `工作表「${sm.sheet}」第 ${lastRow + 1}–${ws.rowCount} 行超出评分表范围，未读取 / rows ${lastRow + 1}–${ws.rowCount} are past the sheet's projects: not read`,
      });
    }
    for (let r = meta.firstRow; r <= lastRow; r++) {
      const row = ws.getRow(r);
      const id = cellText(row.getCell(LAYOUT.idColumn).value);
      const raw = meta.criteria.map((_, j) => row.getCell(meta.firstScoreColumn + j).value);
      // A formula's cached result is whatever the file says it is: a score must be typed.
      const formulas = raw.flatMap((v, j) => (isFormula(v) ? [j] : []));
      const values = raw.map((v) => (isFormula(v) ? '' : cellNumber(v)));
      const filled = values.filter((v) => v !== '').length;
      if (filled > 0) anyScore = true;
      const at = (j: number) => `${colName(meta.firstScoreColumn + j)}${r}`;
      const base = { workbook: name, sheet: sm.sheet, expertKey: sm.expert.key };
      if (!id) {
        if (filled > 0) {
          sheetIssues.push({
            ...base,
            code: 'unknown_project',
            severity: 'error',
            cell: `B${r}`,
            message: `第 ${r} 行有分数但没有项目编号 / scores in row ${r} without a project id`,
          });
        }
        continue;
      }
      if (!expected.has(id) || !sm.projects.includes(id)) {
        sheetIssues.push({
          ...base,
          code: 'unknown_project',
          severity: 'error',
          cell: `B${r}`,
          projectId: id,
          message: `未知项目 ${id}（第 ${r} 行）/ project ${id} is not one this sheet was made for${options.projectIds ? ' or not in the projects file' : ''}`,
        });
        continue;
      }
      if (formulas.length > 0) anyScore = true;
      const rowIssues: ScoreIssue[] = formulas.map((j) => ({
        ...base,
        cell: at(j),
        projectId: id,
        code: 'formula' as const,
        severity: 'error' as const,
        message: `${id}「${meta.criteria[j]?.name}」是公式而不是分数（${at(j)}），请直接填写数字 / a formula, not a typed score`,
      }));
      if (rowIssues.length > 0) {
        scoredIds.add(id);
        for (const i of rowIssues) sheetIssues.push(i);
        continue;
      }
      if (filled === 0) continue; // reported per sheet below, once we know the sheet was used
      scoredIds.add(id);
      const scores: Record<string, number> = {};
      meta.criteria.forEach((c, j) => {
        const v = values[j];
        const where = { ...base, cell: at(j), projectId: id };
        if (v === '') {
          rowIssues.push({
            ...where,
            code: 'missing_score',
            severity: 'error',
            message: `${id} 缺少「${c.name}」得分（${at(j)}）/ no score for ${c.key}`,
          });
        } else if (v === undefined) {
          rowIssues.push({
            ...where,
            code: 'not_a_number',
            severity: 'error',
            message: `${id}「${c.name}」不是数字：${cellText(raw[j] as ExcelJS.CellValue)}（${at(j)}）/ not a number`,
          });
        } else if (v < 0 || v > c.points) {
          rowIssues.push({
            ...where,
            code: 'out_of_range',
            severity: 'error',
            message: `${id}「${c.name}」得分 ${v} 超出 0–${c.points}（${at(j)}）/ out of range`,
          });
        } else if (Math.abs(v / meta.step - Math.round(v / meta.step)) > 1e-9) {
          rowIssues.push({
            ...where,
            code: 'off_step',
            severity: 'error',
            message: `${id}「${c.name}」得分 ${v} 不是 ${meta.step} 的整数倍（${at(j)}）/ not a multiple of ${meta.step}`,
          });
        } else {
          scores[c.key] = v;
        }
      });
      if (rowIssues.length > 0) {
        for (const i of rowIssues) sheetIssues.push(i);
        continue;
      }
      const total = Math.round(Object.values(scores).reduce((a, b) => a + b, 0) * 1000) / 1000;
      sheetEntries.push({
        workbook: name,
        sheet: sm.sheet,
        expertKey: sm.expert.key,
        expertName: expertName ?? null,
        projectId: id,
        projectTitle: cellText(row.getCell(3).value),
        scores,
        total,
        opinion: cellText(typedOnly(row.getCell(meta.firstScoreColumn + n + 1).value)),
        date,
      });
    }
    if (!anyScore) continue; // this copy of the sheet was not used: another copy may hold it
    filledSheets.push(sm.sheet);
    for (const id of sm.projects) {
      if (scoredIds.has(id)) continue;
      sheetIssues.push({
        workbook: name,
        sheet: sm.sheet,
        expertKey: sm.expert.key,
        projectId: id,
        code: 'not_scored',
        severity: 'warning',
        message: `专家 ${expertName ?? sm.expert.key} 未给项目 ${id} 打分 / the expert left project ${id} blank`,
      });
    }
    if (!sm.expert.name && !typedName) {
      sheetIssues.push({
        workbook: name,
        sheet: sm.sheet,
        expertKey: sm.expert.key,
        cell: LAYOUT.expertNameCell,
        code: 'missing_name',
        severity: 'warning',
        message: `工作表「${sm.sheet}」未填写评审专家姓名 / the expert's name is blank`,
      });
    }
    for (const i of sheetIssues) issues.push(i);
    for (const e of sheetEntries) entries.push(e);
  }
  return {
    entries,
    issues,
    filledSheets,
    projectIds: [...new Set(meta.sheets.flatMap((sm) => sm.projects))],
  };
}

/**
 * Puts the entries of several workbooks together: one entry per expert and project. Identical
 * copies count once; copies that differ are both left out, as a conflict.
 */
export function mergeEntries(readings: readonly WorkbookReading[]): {
  entries: ScoreEntry[];
  issues: ScoreIssue[];
} {
  const byKey = new Map<string, ScoreEntry[]>();
  for (const reading of readings) {
    for (const e of reading.entries) {
      const key = `${e.expertKey}\u0000${e.projectId}`;
      byKey.set(key, [...(byKey.get(key) ?? []), e]);
    }
  }
  const entries: ScoreEntry[] = [];
  const issues: ScoreIssue[] = [];
  for (const list of byKey.values()) {
    const first = list[0] as ScoreEntry;
    const same = list.every((e) => JSON.stringify(e.scores) === JSON.stringify(first.scores));
    if (same) {
      entries.push(first);
      if (list.length > 1) {
        issues.push({
          code: 'duplicate',
          severity: 'info',
          workbook: list.map((e) => e.workbook).join(', '),
          sheet: first.sheet,
          expertKey: first.expertKey,
          projectId: first.projectId,
          message: `专家 ${first.expertKey} 对 ${first.projectId} 的评分在 ${list.length} 个文件中相同，计一次 / identical copies counted once`,
        });
      }
      continue;
    }
    issues.push({
      code: 'conflict',
      severity: 'error',
      workbook: list.map((e) => e.workbook).join(', '),
      sheet: first.sheet,
      expertKey: first.expertKey,
      projectId: first.projectId,
      message:
        `专家 ${first.expertKey} 对 ${first.projectId} 的评分在不同文件中不一致（${list.map((e) => `${e.workbook}: ${e.total}`).join('；')}），` +
        '均未计入 / different scores in different copies: none counted, settle it and import again',
    });
  }
  return { entries, issues };
}

// suggestions.xlsx: the suggestions as the bureau reviews them, one row per (demand, rank), with a
// 确认 column limited to 是/否; and reading the marked workbook back into project stubs. The
// reader finds columns by their headers, so a clerk may reorder, hide or add columns, sort or
// filter rows without breaking it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { RunError } from '../errors.js';
import { newWorkbook } from '../workbook.js';
import { checkZip, WORKBOOK_ZIP_LIMITS, ZipLimitError } from '../zip.js';
import { formatSharedTerms } from './explain.js';
import type { MatchResult, Suggestion } from './rank.js';

export const DEMAND_SHEET = '对接建议';
export const PROBLEM_SHEET = '难题对接建议';
export const README_SHEET = '说明';
export const CONFIRM_HEADER = '确认';
export const YES = '是';
export const NO = '否';
/** What clerks write for yes besides 是: a tick, or Y (checked after NFKC and upper-casing). */
export const YES_MARKS: ReadonlySet<string> = new Set([YES, '√', '✓', '✔', 'Y', 'YES', '对']);
export const NO_MARKS: ReadonlySet<string> = new Set([NO, '×', '✗', 'N', 'NO']);

const H = {
  demandId: '需求编号',
  enterprise: '企业',
  problemId: '难题编号',
  title: '难题名称',
  problemUnit: '提出单位',
  rank: '排名',
  professional: '人才（团队）',
  registrationId: '报名编号',
  unit: '单位',
  professionalTitle: '职称',
  score: '得分',
  shared: '共同词语〔需求方字段 → 人才方字段〕',
  confirm: CONFIRM_HEADER,
} as const;

interface Column {
  header: string;
  width: number;
  wrap?: boolean;
}

const DEMAND_COLUMNS: Column[] = [
  { header: H.demandId, width: 10 },
  { header: H.enterprise, width: 28, wrap: true },
  { header: H.rank, width: 6 },
  { header: H.professional, width: 24, wrap: true },
  { header: H.registrationId, width: 10 },
  { header: H.unit, width: 22, wrap: true },
  { header: H.professionalTitle, width: 12 },
  { header: H.score, width: 7 },
  { header: H.shared, width: 80, wrap: true },
  { header: H.confirm, width: 7 },
];

const PROBLEM_COLUMNS: Column[] = [
  { header: H.problemId, width: 10 },
  { header: H.title, width: 28, wrap: true },
  { header: H.problemUnit, width: 22, wrap: true },
  ...DEMAND_COLUMNS.slice(2),
];

const README_LINES = [
  '对接建议 — xietong match 生成',
  '',
  '「对接建议」：每份企业需求表按得分列出最合适的报名人才（团队）；「难题对接建议」：每项重大技术难题的人选。',
  '得分 0–100：该人才与需求表共同使用的词语越多、越少见、出现在越重要的栏目中，得分越高；100 表示达到理想人选的一半分值（一个用到需求表全部词语的人选）。得分只供参考，请结合原表判断。',
  '共同词语：「隧道窑〔难题 → 擅长领域〕」表示需求表「需解决的难题」一栏和报名表「所擅长的专业技术领域」一栏都写了「隧道窑」；「能耗≈余热回收〔…〕」表示报名表写的是「能耗」的近义词「余热回收」。近义词、领域词典和栏目权重在 config/match.yaml 中，可以修改。',
  '确认：与企业和人才沟通后，在同意对接的行填「是」，不对接的填「否」或留空。然后运行 xietong match confirm <本文件> 读出确认的对接，生成项目。',
  '请不要修改「需求编号」「难题编号」「报名编号」「得分」「确认」这几列的标题；可以增删其他列、排序、筛选。',
];

function fillSheet(
  sheet: ExcelJS.Worksheet,
  columns: Column[],
  rows: { cells: (string | number | null)[]; confirmable: boolean }[],
): void {
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const confirmCol = columns.findIndex((c) => c.header === CONFIRM_HEADER) + 1;
  for (const r of rows) {
    const row = sheet.addRow(r.cells);
    row.alignment = { vertical: 'top' };
    columns.forEach((c, i) => {
      if (c.wrap) row.getCell(i + 1).alignment = { vertical: 'top', wrapText: true };
    });
    if (r.confirmable) {
      const cell = row.getCell(confirmCol);
      cell.dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${YES},√,Y,${NO}"`],
        showErrorMessage: true,
        errorTitle: '确认',
        error: `请填「${YES}」（或 √、Y）或「${NO}」，或留空`,
        showInputMessage: true,
        promptTitle: '确认',
        prompt: `同意对接填「${YES}」`,
      };
      cell.alignment = { horizontal: 'center', vertical: 'top' };
    }
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

const professionalCell = (s: Suggestion): string =>
  s.team ? `${s.professional}（${s.team}）` : s.professional;

const suggestionCells = (s: Suggestion, form: 'demand' | 'problem'): (string | number | null)[] => [
  s.rank,
  professionalCell(s),
  s.registrationId,
  s.unit,
  s.professionalTitle,
  s.score,
  formatSharedTerms(s.sharedTerms, form),
  null,
];

const noSuggestionCells = (note: string | undefined): (string | number | null)[] => [
  null,
  null,
  null,
  null,
  null,
  null,
  `没有建议：${note ?? ''}`,
  null,
];

/** Builds the workbook in memory: 对接建议, 难题对接建议 and 说明. */
export async function suggestionsWorkbook(result: MatchResult): Promise<ExcelJS.Workbook> {
  const wb = await newWorkbook();
  wb.creator = 'xietong';
  // A fixed date keeps two runs over the same records byte-comparable in their content parts.
  wb.created = new Date(0);
  wb.modified = new Date(0);

  const demandRows = result.demands.flatMap((d) => {
    const lead = [d.demandId, d.enterprise];
    return d.suggestions.length > 0
      ? d.suggestions.map((s) => ({ cells: [...lead, ...suggestionCells(s, 'demand')], confirmable: true }))
      : [{ cells: [...lead, ...noSuggestionCells(d.note)], confirmable: false }];
  });
  fillSheet(wb.addWorksheet(DEMAND_SHEET), DEMAND_COLUMNS, demandRows);

  const problemRows = result.problems.flatMap((p) => {
    const lead = [p.problemId, p.title, p.unit];
    return p.suggestions.length > 0
      ? p.suggestions.map((s) => ({ cells: [...lead, ...suggestionCells(s, 'problem')], confirmable: true }))
      : [{ cells: [...lead, ...noSuggestionCells(p.note)], confirmable: false }];
  });
  fillSheet(wb.addWorksheet(PROBLEM_SHEET), PROBLEM_COLUMNS, problemRows);

  const readme = wb.addWorksheet(README_SHEET);
  readme.getColumn(1).width = 120;
  for (const line of README_LINES) readme.addRow([line]).alignment = { wrapText: true, vertical: 'top' };
  readme.getRow(1).font = { bold: true, size: 14 };
  return wb;
}

export async function writeSuggestionsWorkbook(result: MatchResult, file: string): Promise<void> {
  await (await suggestionsWorkbook(result)).xlsx.writeFile(file);
}

// --- reading confirmations back ------------------------------------------------------------------

/** A pair the bureau confirmed: what the project store will turn into a 入企协同创新项目. */
export type ProjectStub =
  | {
      kind: 'demand';
      demandId: string;
      registrationId: string;
      /** The score shown in the workbook (null if the cell was emptied). */
      score: number | null;
      enterprise: string;
      professional: string;
      /** Where the mark was read: sheet name and 1-based row. */
      at: { sheet: string; row: number };
    }
  | {
      kind: 'problem';
      problemId: string;
      registrationId: string;
      score: number | null;
      title: string;
      professional: string;
      at: { sheet: string; row: number };
    };

/** Something in the workbook a person should look at; the rest of the workbook is still read. */
export interface ConfirmationWarning {
  code: 'unknown_confirm_value' | 'confirmed_row_without_ids' | 'duplicate_confirmation';
  sheet: string;
  row: number;
  message: string;
}

export interface Confirmations {
  stubs: ProjectStub[];
  warnings: ConfirmationWarning[];
  /** Rows with a suggestion, marked or not, per sheet read. */
  rowsRead: number;
}

// NFKC: a mark or header typed with a full-width keyboard (ＹＥＳ, （）) reads like the ASCII one.
const norm = (s: string): string => s.normalize('NFKC').trim();
const cellText = (cell: ExcelJS.Cell): string => norm(cell.text ?? '');
// Names are handed on as the clerk sees them, full-width brackets included.
const displayText = (cell: ExcelJS.Cell): string => (cell.text ?? '').trim();

/** Header text → column number, for headers as written by suggestionsWorkbook. */
function headerIndex(sheet: ExcelJS.Worksheet): {
  has(h: string): boolean;
  get(h: string): number | undefined;
} {
  const map = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    map.set(cellText(cell), col);
  });
  return { has: (h) => map.has(norm(h)), get: (h) => map.get(norm(h)) };
}

function scoreOf(cell: ExcelJS.Cell | undefined): number | null {
  if (!cell) return null;
  const v = cell.value;
  if (typeof v === 'number') return v;
  const n = Number.parseFloat(cellText(cell));
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads a suggestions workbook marked by the bureau: every row whose 确认 is 是 becomes a project
 * stub. Accepts a path, the file's bytes or a loaded workbook. A workbook without the 对接建议 and
 * 难题对接建议 sheets is a RunError('badDataFile'); odd marks are warnings, never dropped silently.
 */
export async function readConfirmations(
  workbook: string | Buffer | ArrayBuffer | ExcelJS.Workbook,
): Promise<Confirmations> {
  const wb = await loadWorkbook(workbook);
  const name = typeof workbook === 'string' ? workbook : 'the workbook';
  const stubs: ProjectStub[] = [];
  const warnings: ConfirmationWarning[] = [];
  let rowsRead = 0;
  let sheetsRead = 0;

  for (const kind of ['demand', 'problem'] as const) {
    const sheetName = kind === 'demand' ? DEMAND_SHEET : PROBLEM_SHEET;
    const sheet = wb.getWorksheet(sheetName);
    if (!sheet) continue;
    const cols = headerIndex(sheet);
    const idHeader = kind === 'demand' ? H.demandId : H.problemId;
    const need = [idHeader, H.registrationId, H.confirm];
    const missing = need.filter((h) => !cols.has(h));
    if (missing.length > 0) {
      throw new RunError(
        'badDataFile',
        `${name}：工作表「${sheetName}」缺少列 ${missing.map((m) => `「${m}」`).join('、')} / sheet ${sheetName} lacks column(s) ${missing.join(', ')}`,
        'Restore the column headers as xietong match wrote them (row 1), or run xietong match again.',
      );
    }
    sheetsRead++;
    const col = (h: string) => cols.get(h) as number;
    const seen = new Map<string, number>();
    sheet.eachRow((row, r) => {
      if (r === 1) return;
      const sourceId = cellText(row.getCell(col(idHeader)));
      const registrationId = cellText(row.getCell(col(H.registrationId)));
      const mark = cellText(row.getCell(col(H.confirm)));
      if (registrationId !== '') rowsRead++;
      const upper = mark.toUpperCase();
      if (mark === '' || NO_MARKS.has(upper)) return;
      if (!YES_MARKS.has(upper)) {
        warnings.push({
          code: 'unknown_confirm_value',
          sheet: sheetName,
          row: r,
          message: `第 ${r} 行「确认」填的是「${mark}」，只认「${YES}」「√」「Y」或「${NO}」，未计入 / row ${r}: "${mark}" is neither ${YES} nor ${NO}; not counted`,
        });
        return;
      }
      if (sourceId === '' || registrationId === '') {
        warnings.push({
          code: 'confirmed_row_without_ids',
          sheet: sheetName,
          row: r,
          message: `第 ${r} 行标了「${YES}」，但没有${idHeader}或报名编号 / row ${r} is marked but lacks its ids`,
        });
        return;
      }
      const key = `${sourceId}\u0000${registrationId}`;
      const first = seen.get(key);
      if (first !== undefined) {
        warnings.push({
          code: 'duplicate_confirmation',
          sheet: sheetName,
          row: r,
          message: `第 ${r} 行与第 ${first} 行是同一对（${sourceId} ↔ ${registrationId}），只计一次 / same pair as row ${first}; counted once`,
        });
        return;
      }
      seen.set(key, r);
      const score = scoreOf(cols.has(H.score) ? row.getCell(col(H.score)) : undefined);
      const professional = cols.has(H.professional) ? displayText(row.getCell(col(H.professional))) : '';
      const at = { sheet: sheetName, row: r };
      if (kind === 'demand') {
        const enterprise = cols.has(H.enterprise) ? displayText(row.getCell(col(H.enterprise))) : '';
        stubs.push({ kind, demandId: sourceId, registrationId, score, enterprise, professional, at });
      } else {
        const title = cols.has(H.title) ? displayText(row.getCell(col(H.title))) : '';
        stubs.push({ kind, problemId: sourceId, registrationId, score, title, professional, at });
      }
    });
  }

  if (sheetsRead === 0) {
    throw new RunError(
      'badDataFile',
      `${name} 中没有「${DEMAND_SHEET}」或「${PROBLEM_SHEET}」工作表 / ${name} has neither sheet ${DEMAND_SHEET} nor ${PROBLEM_SHEET}`,
      'Pass the suggestions.xlsx written by xietong match (sheet names unchanged).',
    );
  }
  return { stubs, warnings, rowsRead };
}

async function loadWorkbook(
  input: string | Buffer | ArrayBuffer | ExcelJS.Workbook,
): Promise<ExcelJS.Workbook> {
  if (typeof input !== 'string' && !Buffer.isBuffer(input) && !(input instanceof ArrayBuffer)) return input;
  if (typeof input === 'string' && !existsSync(input)) {
    throw new RunError(
      'inputNotFound',
      `找不到工作簿 ${input} / cannot find ${input}`,
      'Check the path; xietong match writes <out>/suggestions.xlsx.',
    );
  }
  const wb = await newWorkbook();
  const name = typeof input === 'string' ? input : 'the workbook';
  try {
    const bytes = typeof input === 'string' ? await readFile(input) : Buffer.from(input as ArrayBuffer);
    // The workbook came back from someone's desk: inflated under caps before exceljs opens it whole.
    checkZip(bytes, WORKBOOK_ZIP_LIMITS);
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    if (err instanceof ZipLimitError)
      throw new RunError(
        'badDataFile',
        `${name} 解压后过大或条目过多，已拒绝读取（疑似“压缩炸弹”）/ ${name} was refused: ${err.message}`,
        'Pass the suggestions.xlsx written by xietong match; save it again as .xlsx if it was edited.',
        { cause: err },
      );
    throw new RunError(
      'badDataFile',
      `${name} 不是可读的 .xlsx 工作簿 / ${name} is not a readable .xlsx workbook: ${(err as Error).message}`,
      'Save the workbook as .xlsx (Excel or WPS: 另存为 Excel 工作簿) and try again.',
      { cause: err },
    );
  }
  return wb;
}

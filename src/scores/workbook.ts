// The score workbook (评分录入表): one sheet per expert, one row per project, a cell per criterion.
// Experts (or the bureau's clerk, from the paper sheets) type scores into the yellow cells only:
// every other cell and the workbook's structure are locked, each score cell only accepts numbers
// within its criterion's range, and the total is a formula. A very hidden sheet records what the
// workbook was made for (criteria, sheet → expert, projects), so `xietong scores import` never
// has to guess from headers a person may have retyped.
import type ExcelJS from 'exceljs';
import PizZip from 'pizzip';
import { z } from 'zod';
import type { Project } from '../projects/types.js';
import { newWorkbook } from '../workbook.js';
import type { ScoringConfig } from './config.js';
import type { PanelAssignment, PanelExpert } from './experts.js';

export const META_SHEET = '_xietong';
export const WORKBOOK_FORMAT = 'xietong-scores/1';
export const GUIDE_SHEET = '评分说明';

/** Where things are on an expert's sheet (1-based, as exceljs counts). */
export const LAYOUT = {
  expertNameCell: 'C2',
  dateCell: 'I2',
  headerRow: 4,
  firstRow: 5,
  idColumn: 2,
  /** Columns before the first criterion: 序号, 项目编号, 项目名称, 承担企业, 入企人才（团队）, 申请经费. */
  firstScoreColumn: 7,
} as const;

export interface SheetMeta {
  sheet: string;
  expert: PanelExpert;
  projects: string[];
}

export interface WorkbookMeta {
  format: string;
  criteria: { key: string; name: string; points: number }[];
  step: number;
  firstRow: number;
  firstScoreColumn: number;
  sheets: SheetMeta[];
}

const SCORE_FILL = 'FFFFF2CC';
const HEADER_FILL = 'FFD9E1F2';
const FONT = '宋体';

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
const box = { top: thin, left: thin, bottom: thin, right: thin };

/** A sheet name Excel accepts: ≤ 31 characters, none of : \ / ? * [ ]. */
export function sheetNameFor(expert: PanelExpert, taken: Set<string>): string {
  const base = `${expert.key}${expert.name && expert.name !== expert.key ? ` ${expert.name}` : ''}`
    .replace(/[:\\/?*[\]]/g, '_')
    .slice(0, 28);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 26)}~${i}`;
  taken.add(name);
  return name;
}

const columnLetter = (n: number): string => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

const professionalOf = (p: Project) =>
  p.professional.teamName ? `${p.professional.teamName}（${p.professional.name}）` : p.professional.name;

export interface ScoreWorkbookOptions {
  assignments: readonly PanelAssignment[];
  config: ScoringConfig;
  /** Written as the workbook's created/modified date; fixed for reproducible samples. */
  date?: Date;
  title?: string;
}

/** Builds the workbook; returns its bytes and what it recorded in the hidden sheet. */
export async function buildScoreWorkbook(
  options: ScoreWorkbookOptions,
): Promise<{ buffer: Buffer; meta: WorkbookMeta }> {
  const { assignments, config } = options;
  const date = options.date ?? new Date();
  const title = options.title ?? '入企协同创新项目评审评分录入表';
  const wb = await newWorkbook();
  wb.creator = 'xietong';
  wb.lastModifiedBy = 'xietong';
  wb.created = date;
  wb.modified = date;

  await addGuide(wb, config, title);

  const taken = new Set<string>([GUIDE_SHEET, META_SHEET]);
  const sheets: SheetMeta[] = [];
  const n = config.criteria.length;
  const totalCol = LAYOUT.firstScoreColumn + n;
  const opinionCol = totalCol + 1;

  for (const { expert, projects } of assignments) {
    const name = sheetNameFor(expert, taken);
    sheets.push({ sheet: name, expert, projects: projects.map((p) => p.id) });
    const ws = wb.addWorksheet(name, {
      views: [{ state: 'frozen', xSplit: 3, ySplit: LAYOUT.headerRow }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.properties.defaultRowHeight = 20;
    const widths = [6, 14, 34, 28, 22, 10, ...config.criteria.map(() => 11), 9, 40];
    widths.forEach((w, i) => {
      ws.getColumn(i + 1).width = w;
    });

    ws.mergeCells(1, 1, 1, opinionCol);
    const titleCell = ws.getCell(1, 1);
    titleCell.value = title;
    titleCell.font = { name: '黑体', size: 16, bold: true };
    titleCell.alignment = { horizontal: 'center', vertical: 'middle' };
    ws.getRow(1).height = 30;

    // Row 2: 评审专家 [name] 专家编号 [key] 评审日期 [date]
    const label = (range: string, value: string) => {
      const [first, last] = range.split(':') as [string, string?];
      if (last && last !== first) ws.mergeCells(range);
      const cell = ws.getCell(first);
      cell.value = value;
      cell.font = { name: FONT, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle' };
    };
    label('A2:B2', '评审专家');
    ws.mergeCells('C2:D2');
    const nameCell = ws.getCell(LAYOUT.expertNameCell);
    nameCell.value = expert.name ?? null;
    nameCell.font = { name: FONT };
    if (!expert.name) editable(nameCell);
    label('E2', '专家编号');
    ws.getCell('F2').value = expert.key;
    ws.getCell('F2').alignment = { horizontal: 'center' };
    label('G2:H2', '评审日期');
    ws.mergeCells('I2:J2');
    const dateCell = ws.getCell(LAYOUT.dateCell);
    editable(dateCell);
    dateCell.numFmt = 'yyyy"年"m"月"d"日"';
    dateCell.dataValidation = {
      type: 'date',
      operator: 'greaterThan',
      allowBlank: true,
      formulae: [new Date(Date.UTC(2000, 0, 1))],
      showErrorMessage: true,
      errorTitle: '日期',
      error: '请输入日期，例如 2020-09-15',
    };

    ws.mergeCells(3, 1, 3, opinionCol);
    ws.getCell(3, 1).value =
      `只在黄色单元格中填写各项得分（${config.step === 1 ? '整数' : '可含 0.5 分'}，不超过该项分值），合计自动计算；评审意见可选填。` +
      `打分标准见“${GUIDE_SHEET}”。`;
    ws.getCell(3, 1).font = { name: FONT, size: 10, color: { argb: 'FF595959' } };

    const header = [
      '序号',
      '项目编号',
      '项目名称',
      '承担企业',
      '入企人才（团队）',
      '申请经费（万元）',
      ...config.criteria.map((c) => `${c.name}（0–${c.points}）`),
      `合计（${config.total}）`,
      '评审意见',
    ];
    const headerRow = ws.getRow(LAYOUT.headerRow);
    header.forEach((h, i) => {
      const cell = headerRow.getCell(i + 1);
      cell.value = h;
      cell.font = { name: '黑体', size: 11 };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
      cell.border = box;
    });
    headerRow.height = 36;

    projects.forEach((p, i) => {
      const r = LAYOUT.firstRow + i;
      const row = ws.getRow(r);
      const values = [
        i + 1,
        p.id,
        p.title,
        p.enterprise.name,
        professionalOf(p),
        p.funding.requested ?? null,
      ];
      values.forEach((v, j) => {
        const cell = row.getCell(j + 1);
        cell.value = v;
        cell.font = { name: FONT, size: 11 };
        cell.alignment = {
          vertical: 'middle',
          wrapText: j >= 2 && j <= 4,
          horizontal: j === 0 || j === 5 ? 'center' : 'left',
        };
        cell.border = box;
      });
      config.criteria.forEach((c, j) => {
        const cell = row.getCell(LAYOUT.firstScoreColumn + j);
        cell.value = null;
        editable(cell);
        cell.border = box;
        cell.alignment = { horizontal: 'center', vertical: 'middle' };
        cell.dataValidation = {
          type: config.step === 1 ? 'whole' : 'decimal',
          operator: 'between',
          allowBlank: true,
          formulae: [0, c.points],
          showErrorMessage: true,
          errorStyle: 'stop',
          errorTitle: c.name,
          error: `${c.name}的得分应在 0 到 ${c.points} 分之间${config.step === 1 ? '（整数）' : ''}。`,
          showInputMessage: true,
          promptTitle: `${c.name}（满分 ${c.points}）`,
          prompt: c.bands.map((b) => `${b.label} ${b.min}–${b.max}`).join('；'),
        };
      });
      const first = `${columnLetter(LAYOUT.firstScoreColumn)}${r}`;
      const last = `${columnLetter(LAYOUT.firstScoreColumn + n - 1)}${r}`;
      const total = row.getCell(totalCol);
      // Blank until every criterion is scored, so a half-filled row never shows a plausible total.
      total.value = { formula: `IF(COUNT(${first}:${last})=${n},SUM(${first}:${last}),"")` };
      total.font = { name: FONT, size: 11, bold: true };
      total.alignment = { horizontal: 'center', vertical: 'middle' };
      total.border = box;
      const opinion = row.getCell(opinionCol);
      editable(opinion);
      opinion.alignment = { wrapText: true, vertical: 'middle' };
      opinion.border = box;
      row.height = 36;
    });

    // Without a password: the lock prevents slips, not a determined user (who can unprotect it).
    await ws.protect('', {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatColumns: true,
      formatRows: true,
    });
  }

  const meta: WorkbookMeta = {
    format: WORKBOOK_FORMAT,
    criteria: config.criteria.map((c) => ({ key: c.key, name: c.name, points: c.points })),
    step: config.step,
    firstRow: LAYOUT.firstRow,
    firstScoreColumn: LAYOUT.firstScoreColumn,
    sheets,
  };
  const metaSheet = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  metaSheet.getCell('A1').value = 'format';
  metaSheet.getCell('B1').value = WORKBOOK_FORMAT;
  metaSheet.getCell('A2').value = 'meta';
  metaSheet.getCell('B2').value = JSON.stringify(meta);
  await metaSheet.protect('', {});

  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer: finishXlsx(raw, date), meta };
}

function editable(cell: ExcelJS.Cell): void {
  cell.protection = { locked: false };
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: SCORE_FILL } };
}

async function addGuide(wb: ExcelJS.Workbook, config: ScoringConfig, title: string): Promise<void> {
  const ws = wb.addWorksheet(GUIDE_SHEET, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  [18, 10, 14, 80].forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  const row = (values: (string | number)[], font: Partial<ExcelJS.Font> = { name: FONT }) => {
    const r = ws.addRow(values);
    r.eachCell((c) => {
      c.font = font;
      c.alignment = { wrapText: true, vertical: 'middle' };
    });
    return r;
  };
  /** A line of prose across the table's four columns. */
  const prose = (s: string, font?: Partial<ExcelJS.Font>) => {
    const r = row([s], font);
    ws.mergeCells(r.number, 1, r.number, 4);
    r.height = 22;
  };
  prose(`${title} — 评分说明`, { name: '黑体', size: 14, bold: true });
  prose(`每位专家一张工作表，总分 ${config.total} 分。只在黄色单元格中填写，合计自动计算。`);
  const head = row(['评审指标', '分值', '档次（分）', '评分标准'], { name: '黑体' });
  head.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    c.border = box;
  });
  for (const c of config.criteria) {
    const first = ws.rowCount + 1;
    for (const b of c.bands) {
      const r = row([c.name, c.points, `${b.label} ${b.min}–${b.max}`, b.description]);
      r.eachCell({ includeEmpty: true }, (cell) => {
        cell.border = box;
      });
    }
    if (c.bands.length > 1) {
      ws.mergeCells(first, 1, ws.rowCount, 1);
      ws.mergeCells(first, 2, ws.rowCount, 2);
    }
  }
  if (config.preferences.length > 0) {
    prose(`择优支持${config.preferences.join('、')}的项目（景科字〔2020〕14号）。`);
  }
  const drop = config.aggregation.dropExtremesFrom;
  if (drop !== null) prose(`${drop} 位及以上专家评分时，去掉一个最高分和一个最低分后取平均分。`);
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true });
}

/**
 * Re-zips exceljs output with fixed entry dates (exceljs stamps each with the current time, so
 * the bytes would never repeat) and, when asked, locks the workbook's structure (adding, deleting
 * or renaming sheets), which exceljs cannot do: the flag is written into xl/workbook.xml.
 */
export function finishXlsx(xlsx: Buffer, date: Date, lock = true): Buffer {
  const src = new PizZip(xlsx);
  const out = new PizZip();
  for (const [name, file] of Object.entries(src.files)) {
    if (file.dir) continue;
    let content: string | Uint8Array = file.asUint8Array();
    if (lock && name === 'xl/workbook.xml') {
      const xml = file.asText();
      // CT_Workbook order: fileVersion, fileSharing, workbookPr, workbookProtection, bookViews, …
      content = xml.includes('<workbookProtection')
        ? xml
        : xml.replace(
            /<bookViews>|<bookViews\/>|<sheets>/,
            (m) => `<workbookProtection lockStructure="1"/>${m}`,
          );
    }
    out.file(name, content, { date, binary: typeof content !== 'string' });
  }
  return out.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}

/** Reads the hidden sheet back; undefined when the workbook was not made by xietong. */
/**
 * The hidden sheet is in the expert's hands like the rest of the file: it is checked as strictly as
 * any input (a step of 0 would let any decimal through; an empty object used to crash the import).
 */
const MetaSchema = z.strictObject({
  format: z.literal(WORKBOOK_FORMAT),
  criteria: z
    .array(
      z.strictObject({ key: z.string().min(1), name: z.string(), points: z.number().positive().max(1000) }),
    )
    .min(1)
    .max(12),
  step: z.union([z.literal(1), z.literal(0.5)]),
  firstRow: z.literal(LAYOUT.firstRow),
  firstScoreColumn: z.literal(LAYOUT.firstScoreColumn),
  sheets: z
    .array(
      z.strictObject({
        sheet: z.string().min(1).max(31),
        expert: z.strictObject({
          key: z.string().min(1).max(100),
          name: z.string().max(100).nullable(),
          title: z.string().max(200).nullable(),
          employer: z.string().max(200).nullable(),
        }),
        projects: z.array(z.string().min(1).max(100)).max(1000),
      }),
    )
    .min(1)
    .max(500),
});

export function readMeta(
  wb: ExcelJS.Workbook,
): { ok: true; meta: WorkbookMeta } | { ok: false; problem: string } {
  const sheet = wb.getWorksheet(META_SHEET);
  if (!sheet) return { ok: false, problem: 'its hidden sheet is missing' };
  if (sheet.getCell('B1').value !== WORKBOOK_FORMAT) return { ok: false, problem: 'unknown format' };
  const raw = sheet.getCell('B2').value;
  if (typeof raw !== 'string') return { ok: false, problem: 'the hidden record is missing' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: 'the hidden record is not JSON' };
  }
  const parsed = MetaSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      problem: `hidden record, ${first?.path.join('.') || 'top level'}: ${first?.message}`,
    };
  }
  return { ok: true, meta: parsed.data };
}

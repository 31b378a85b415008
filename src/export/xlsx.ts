// The 汇总表 as an .xlsx workbook (exceljs), from the sheet plans: frozen header row and first
// columns, autofilter, widths from the content with long text wrapped, a status column coloured by
// state, and notes on the cells a person corrected or still has to check.
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../workbook.js';
import type { SheetPlan } from './plan.js';

const FONT = '宋体';
const FILL = {
  header: 'FFD9D9D9',
  review: 'FFFFF2CC',
  corrected: 'FFDDEBF7',
  pending: 'FFFCE4D6',
  verified: 'FFE2EFDA',
} as const;
const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const thin: ExcelJS.Border = { style: 'thin', color: { argb: 'FFBFBFBF' } };
const BORDER: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

export async function writeXlsx(
  sheets: readonly SheetPlan[],
  path: string,
  options: { now?: Date } = {},
): Promise<void> {
  const wb = await newWorkbook();
  const now = options.now ?? new Date();
  wb.creator = 'xietong';
  wb.created = now;
  wb.modified = now;
  wb.title = '景德镇市优秀专业技术人才入企协同创新 汇总表';

  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      // Row 1 (headers) and the first two columns (序号 and the name) stay in view.
      views: [{ state: 'frozen', xSplit: 2, ySplit: 1, activeCell: 'C2' }],
      pageSetup: {
        paperSize: 9, // A4; OOXML paper code (exceljs's enum is const, so not importable at runtime)
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
        printTitlesRow: '1:1',
      },
      headerFooter: { oddFooter: `&L${sheet.name}&R第 &P 页，共 &N 页` },
    });
    ws.columns = sheet.columns.map((c) => ({ key: c.key, width: c.width }));

    const header = ws.getRow(1);
    sheet.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { name: FONT, bold: true, size: 11 };
      cell.fill = solid(FILL.header);
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
      cell.border = BORDER;
    });
    header.height = 30;

    const statusCol = sheet.columns.findIndex((c) => c.key === '#status');
    const issuesCol = sheet.columns.findIndex((c) => c.key === '#issues');
    sheet.rows.forEach((row, r) => {
      const xr = ws.getRow(r + 2);
      row.cells.forEach((value, i) => {
        const cell = xr.getCell(i + 1);
        // Strings stay strings: a phone number or 2020-05-12 must not turn into a number or a date.
        cell.value = value;
        const col = sheet.columns[i];
        cell.font = {
          name: FONT,
          size: 10.5,
          ...(i === issuesCol && row.hasErrors ? { color: { argb: 'FFC00000' } } : {}),
        };
        cell.alignment = { vertical: 'top', wrapText: Boolean(col?.wrap) };
        cell.border = BORDER;
        if (typeof value === 'string') cell.numFmt = '@';
      });
      // 10.5 pt 宋体 needs about 14 pt a line; Excel caps a row at 409 pt.
      if (row.lines > 1) xr.height = Math.min(409, 4 + 14 * row.lines);
      if (statusCol >= 0) xr.getCell(statusCol + 1).fill = solid(row.verified ? FILL.verified : FILL.pending);
      for (const note of row.notes) {
        const cell = xr.getCell(note.column + 1);
        cell.fill = solid(note.kind === 'review' ? FILL.review : FILL.corrected);
        cell.note = { texts: [{ text: note.text }] };
      }
    });

    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  }
  await wb.xlsx.writeFile(path);
}

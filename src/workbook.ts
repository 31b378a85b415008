// exceljs takes ~0.6 s to import, a third of the CLI's start-up, and only the commands that read or
// write workbooks need it: it is loaded on first use.
import type ExcelJS from 'exceljs';

let library: Promise<typeof ExcelJS> | undefined;

/** A new, empty exceljs workbook. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  library ??= import('exceljs').then((m) => m.default);
  return new (await library).Workbook();
}

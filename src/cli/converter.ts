// The PDF converter of a document command: a LibreOfficePool (warm listeners, ~0.04 s a document
// instead of ~1 s) for the one run, closed however the run ends. Without python3-uno the pool cannot
// be made; the renderers' default LibreOfficeConverter (one soffice per batch) is slower but needs
// only LibreOffice, so the command goes on with it rather than failing.
import type { PdfConverter } from '../convert/index.js';
import { LibreOfficePool } from '../convert/pool.js';
import { RunError } from '../errors.js';

/**
 * Runs `render` with a pool when PDFs are wanted, else with no converter. `undefined` tells the
 * renderers to use their default converter (which reports a missing LibreOffice itself).
 */
export async function withPdfConverter<T>(
  pdf: boolean,
  render: (converter: PdfConverter | undefined) => Promise<T>,
): Promise<T> {
  if (!pdf) return render(undefined);
  let pool: LibreOfficePool | undefined;
  try {
    pool = new LibreOfficePool({ workers: 2 });
  } catch (err) {
    if (!(err instanceof RunError && err.exit === 'converterMissing')) throw err;
  }
  try {
    return await render(pool);
  } finally {
    await pool?.close();
  }
}

// The PDF converter: LibreOffice headless behind a narrow interface so tests and callers can swap
// it. One soffice process converts a whole batch (about 20x faster than one process per file),
// with its own profile directory (parallel runs clash on a shared one), a hard timeout that kills
// the whole process group, and the project's fontconfig file so 仿宋/宋体/黑体/楷体 find CJK faces.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RunError } from '../errors.js';

export interface ConvertResult {
  input: string;
  /** Path of the PDF, when conversion succeeded. */
  pdf?: string;
  error?: string;
}

export interface PdfConverter {
  /** Converts each .docx (or .xlsx, .odt …) into `outDir/<name>.pdf`; never throws for one bad file. */
  toPdf(inputs: readonly string[], outDir: string): Promise<ConvertResult[]>;
  /** Converts to another format LibreOffice knows (e.g. 'csv'). */
  convert(inputs: readonly string[], outDir: string, format: string): Promise<ConvertResult[]>;
}

export const FONTCONFIG_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../config/fonts.conf');

const SOFFICE_CANDIDATES = [
  '/usr/bin/soffice',
  '/usr/bin/libreoffice',
  '/usr/lib/libreoffice/program/soffice',
];

export function findSoffice(): string | undefined {
  const fromEnv = process.env.XIETONG_SOFFICE;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return SOFFICE_CANDIDATES.find((p) => existsSync(p));
}

export interface LibreOfficeOptions {
  /** Hard limit for one batch call, scaled by the batch size. */
  timeoutMsPerDoc?: number;
  soffice?: string;
}

export class LibreOfficeConverter implements PdfConverter {
  private readonly timeoutMsPerDoc: number;
  private readonly soffice: string;

  constructor(options: LibreOfficeOptions = {}) {
    const soffice = options.soffice ?? findSoffice();
    if (!soffice) {
      throw new RunError(
        'converterMissing',
        'LibreOffice (soffice) was not found; PDF output needs it. 未找到 LibreOffice，无法生成 PDF。',
        'Install it with `bash scripts/setup-system.sh` (Debian package libreoffice-writer-nogui), ' +
          'or set XIETONG_SOFFICE to the soffice binary.',
      );
    }
    this.soffice = soffice;
    this.timeoutMsPerDoc = options.timeoutMsPerDoc ?? 30_000;
  }

  toPdf(inputs: readonly string[], outDir: string): Promise<ConvertResult[]> {
    // As the pool does (uno-client.py): blank pages the layout inserts are kept in the PDF.
    return this.convert(
      inputs,
      outDir,
      'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}',
    );
  }

  async convert(inputs: readonly string[], outDir: string, format: string): Promise<ConvertResult[]> {
    if (inputs.length === 0) return [];
    await mkdir(outDir, { recursive: true });
    const profile = await mkdtemp(join(tmpdir(), 'xietong-lo-'));
    const started = Date.now();
    try {
      const args = [
        '--headless',
        '--norestore',
        '--nolockcheck',
        '--nodefault',
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--convert-to',
        format,
        '--outdir',
        resolve(outDir),
        ...inputs.map((p) => resolve(p)),
      ];
      const timeoutMs = 20_000 + this.timeoutMsPerDoc * inputs.length;
      const run = await runWithTimeout(this.soffice, args, timeoutMs);
      const results: ConvertResult[] = [];
      for (const input of inputs) {
        const out = join(outDir, `${basename(input, extname(input))}.${format.split(':')[0]}`);
        const made = await stat(out).catch(() => undefined);
        if (made && made.mtimeMs >= started - 1000 && made.size > 0) results.push({ input, pdf: out });
        else
          results.push({
            input,
            error: run.timedOut
              ? `LibreOffice timed out after ${Math.round(timeoutMs / 1000)} s`
              : `LibreOffice did not produce ${basename(out)} (exit ${run.code}): ${run.stderr.trim().slice(-400)}`,
          });
      }
      return results;
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  }
}

interface RunOutcome {
  code: number | null;
  stderr: string;
  timedOut: boolean;
}

function runWithTimeout(cmd: string, args: string[], timeoutMs: number): Promise<RunOutcome> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, {
      detached: true, // own process group: soffice forks soffice.bin, and a timeout must kill both
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FONTCONFIG_FILE, SAL_USE_VCLPLUGIN: 'svp' },
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', () => {});
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolvePromise({ code: null, stderr: String(err), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stderr, timedOut });
    });
  });
}

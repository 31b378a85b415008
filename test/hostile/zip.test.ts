// Zip containers that inflate far beyond their size: refused by name under a hard cap, the rest
// of the batch read, and the whole command's memory bounded.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfirmations } from '../../src/match/workbook.js';
import { checkZip, readZipText, ZipLimitError, zipEntries } from '../../src/zip.js';
import { bombPart, docxBomb, part, runCli, zipOf } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-hostile-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 1.5 GB-inflated .docx and one of millions of elements beside a good one', () => {
  it('names the bomb in failures, reads the good file, and stays under 1.5 GB of memory', () => {
    const forms = join(dir, 'forms');
    mkdirSync(forms);
    const bomb = docxBomb(1.5 * 1024 ** 3);
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    writeFileSync(join(forms, 'a-bomb.docx'), bomb);
    copyFileSync('samples/docx/prob-01.docx', join(forms, 'b-good.docx'));
    // 30 MB of empty paragraphs: small inflated, but millions of elements once parsed.
    writeFileSync(join(forms, 'c-nodes.docx'), docxBomb(30 * 1024 ** 2, 'empty'));
    // The same 1.5 GB declaring 4 KB: only the cap on inflating stops it.
    writeFileSync(join(forms, 'd-lying.docx'), docxBomb(1.5 * 1024 ** 3, 'long', 4096));
    const run = runCli(['ingest', forms, '--json', '--no-db', '--out', join(dir, 'out')]);
    const out = JSON.parse(run.stdout) as {
      submissions: { sources: { file: string }[] }[];
      failures: { file: string; code: string; message: string }[];
    };
    expect(out.failures.map((f) => [f.file.replace(/.*\//, ''), f.code])).toEqual([
      ['a-bomb.docx', 'archive_too_large'],
      ['c-nodes.docx', 'archive_too_large'],
      ['d-lying.docx', 'archive_too_large'],
    ]);
    expect(out.failures[0]?.message).toMatch(/压缩炸弹/);
    expect(out.submissions.map((s) => s.sources[0]?.file)).toEqual([expect.stringMatching(/b-good\.docx$/)]);
    expect(run.status).toBe(0);
    expect(run.peakMb).toBeLessThan(1536);
  });
});

describe('a suggestions workbook that inflates to 1 GB', () => {
  it('is a bad data file for match confirm, not read', async () => {
    const bomb = zipOf([
      part('[Content_Types].xml', '<Types/>'),
      bombPart('xl/worksheets/sheet1.xml', '<worksheet>', ' '.repeat(1 << 20), 1024, '</worksheet>'),
    ]);
    const file = join(dir, 'suggestions.xlsx');
    writeFileSync(file, bomb);
    await expect(readConfirmations(file)).rejects.toMatchObject({ exit: 'badDataFile', message: /压缩炸弹/ });
  });
});

describe('bounded zip reads', () => {
  it('refuses more entries than the limit, whatever the count field says', () => {
    const zip = zipOf(Array.from({ length: 30 }, (_, i) => part(`p${i}.xml`, 'x')));
    zip.writeUInt16LE(1, zip.length - 22 + 8);
    zip.writeUInt16LE(1, zip.length - 22 + 10);
    const limits = { maxEntries: 20, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 20 };
    expect(() => zipEntries(zip, limits)).toThrow(ZipLimitError);
  });

  it('caps what an entry inflates to even when its declared size lies', () => {
    const big = part('word/document.xml', 'a'.repeat(5 << 20));
    const zip = zipOf([{ ...big, size: 10 }]);
    const limits = { maxEntries: 10, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 30 };
    expect(() => readZipText(zip, 'word/document.xml', limits)).toThrow(/inflates to more than/);
    expect(() => checkZip(zip, limits)).toThrow(ZipLimitError);
  });

  it('caps the sum of all entries', () => {
    const zip = zipOf(
      Array.from({ length: 4 }, (_, i) => ({ ...part(`p${i}`, 'b'.repeat(400 << 10)), size: 1 })),
    );
    expect(() => checkZip(zip, { maxEntries: 10, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 20 })).toThrow(
      expect.objectContaining({ limit: 'maxTotalBytes' }),
    );
  });

  it('reads a normal container', () => {
    const zip = zipOf([part('word/document.xml', '<w:document/>')]);
    expect(readZipText(zip, 'word/document.xml')).toBe('<w:document/>');
    expect(readZipText(zip, 'missing.xml')).toBeUndefined();
  });
});

// The persistent LibreOffice pool against the real soffice: a handful of documents rendered from the
// registration template, CJK fonts embedded, a hung listener (SIGSTOP) turned into one document's
// error and a restart, recycling after N documents, nothing left behind after close(); documents of
// one template converted together give the same PDFs as converted alone, and a document that breaks
// a combined conversion costs only its own PDF.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSoffice } from '../../src/convert/index.js';
import { findUnoPython, LibreOfficePool } from '../../src/convert/pool.js';
import { renderFormDocx } from '../../src/render/forms.js';
import { skipWithout } from '../tools.js';

const alive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(skipWithout(!!findSoffice() && !!findUnoPython()))('LibreOfficePool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xietong-pool-test-'));
  const docs: string[] = [];

  beforeAll(async () => {
    const names = ['张三', '李四', '王五', '赵六'];
    for (const [i, name] of names.entries()) {
      const path = join(dir, `reg-${i}.docx`);
      writeFileSync(path, await renderFormDocx('registration', { name, teamName: '景德镇陶瓷大学' }));
      docs.push(path);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts a batch on two listeners, with the CJK fonts embedded, and cleans up on close', async () => {
    const profiles = () => readdirSync(tmpdir()).filter((n) => n.startsWith('xietong-lo-pool'));
    const before = profiles();
    const pool = new LibreOfficePool({ workers: 2 });
    let groups: number[] = [];
    try {
      const results = await pool.toPdf(docs, join(dir, 'pdf'));
      groups = pool.processGroups();
      expect(results.map((r) => r.error)).toEqual(docs.map(() => undefined));
      expect(results.map((r) => r.input)).toEqual(docs);
      expect(groups).toHaveLength(2);
      const fonts = execFileSync('pdffonts', [results[0]?.pdf as string], { encoding: 'utf8' });
      const cjk = fonts.split('\n').filter((l) => /CJK/.test(l));
      expect(cjk.length).toBeGreaterThan(0);
      for (const line of cjk) expect(line).toMatch(/\s+yes\s+yes\s+yes\s+/); // embedded, subset, unicode
      const text = execFileSync('pdftotext', [results[0]?.pdf as string, '-'], { encoding: 'utf8' });
      expect(text).toContain('张三');
    } finally {
      await pool.close();
    }
    expect(groups.every((g) => !alive(g))).toBe(true);
    expect(profiles()).toEqual(before);
    await expect(pool.toPdf(docs, dir)).rejects.toThrow(/after close/);
  });

  it('turns a hung listener into an error for that document, restarts it and goes on', async () => {
    const pool = new LibreOfficePool({ workers: 1, timeoutMsPerDoc: 4_000, combine: 1 });
    try {
      await pool.warmUp();
      const [hung] = pool.processGroups();
      // A frozen soffice is what a hang looks like from outside: no answer, no exit.
      process.kill(-(hung as number), 'SIGSTOP');
      const results = await pool.toPdf(docs.slice(0, 3), join(dir, 'hang'));
      expect(results[0]?.error).toMatch(/timeout/);
      expect(results[0]?.pdf).toBeUndefined();
      expect(existsSync(join(dir, 'hang', 'reg-0.pdf'))).toBe(false);
      expect(results.slice(1).map((r) => r.error)).toEqual([undefined, undefined]);
      expect(pool.stats.crashes).toBe(1);
      expect(pool.stats.starts).toBe(2);
      expect(alive(hung as number)).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('gets over a listener that hangs in a combined conversion: restarted, each document converted alone', async () => {
    const pool = new LibreOfficePool({ workers: 1, timeoutMsPerDoc: 3_000, combine: 3 });
    try {
      await pool.warmUp();
      const [hung] = pool.processGroups();
      process.kill(-(hung as number), 'SIGSTOP');
      const results = await pool.toPdf(docs.slice(0, 3), join(dir, 'hang-combined'));
      expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined]);
      expect(results.every((r) => r.pdf && existsSync(r.pdf))).toBe(true);
      expect(pool.stats.combineFallbacks).toBe(1);
      expect(pool.stats.crashes).toBe(1);
      expect(alive(hung as number)).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('recycles a listener after `recycleAfter` documents', async () => {
    const pool = new LibreOfficePool({ workers: 1, recycleAfter: 2, combine: 1 });
    try {
      const results = await pool.toPdf(docs, join(dir, 'recycle'));
      expect(results.every((r) => r.pdf)).toBe(true);
      expect(pool.stats.recycles).toBe(1);
      expect(pool.stats.converted).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it('reports a file LibreOffice cannot open and converts the rest', async () => {
    const bad = join(dir, 'missing.docx');
    const pool = new LibreOfficePool({ workers: 1 });
    try {
      const results = await pool.toPdf([bad, docs[0] as string], join(dir, 'bad'));
      expect(results[0]?.error).toBeTruthy();
      expect(results[1]?.pdf).toBeTruthy();
    } finally {
      await pool.close();
    }
  });

  it('converts documents of one template together, each PDF as if converted alone', async () => {
    const pdfText = (pdf: string): string[] =>
      execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
        .split('\f')
        .filter((p) => p.trim());
    const alone = new LibreOfficePool({ workers: 1, combine: 1 });
    const together = new LibreOfficePool({ workers: 1, combine: 4 });
    try {
      const single = await alone.toPdf(docs, join(dir, 'alone'));
      const combined = await together.toPdf(docs, join(dir, 'together'));
      expect(together.stats.combined).toBe(4);
      expect(alone.stats.combined).toBe(0);
      expect(combined.map((r) => r.input)).toEqual(docs);
      for (const [i, r] of combined.entries()) {
        const one = single[i]?.pdf as string;
        expect(r.pdf).toBeTruthy();
        // Same pages with the same text, page numbers restarting at 1 in every document.
        expect(pdfText(r.pdf as string)).toEqual(pdfText(one));
        const [a, b] = await Promise.all(
          [one, r.pdf as string].map(async (f) => PDFDocument.load(readFileSync(f))),
        );
        expect(b?.getPageCount()).toBe(a?.getPageCount());
        expect(b?.getTitle()).toBe(a?.getTitle());
        const fonts = execFileSync('pdffonts', [r.pdf as string], { encoding: 'utf8' });
        for (const line of fonts.split('\n').filter((l) => /CJK/.test(l)))
          expect(line).toMatch(/\s+yes\s+yes\s+yes\s+/);
      }
      expect(pdfText(combined[1]?.pdf as string).join('')).toContain('李四');
      expect(pdfText(combined[1]?.pdf as string).join('')).not.toContain('张三');
    } finally {
      await Promise.all([alone.close(), together.close()]);
    }
  });

  it('converts each document alone when one breaks a combined conversion; only that one fails', async () => {
    // Malformed XML in one body: LibreOffice cannot open the combined document either.
    const zip = new PizZip(readFileSync(docs[1] as string));
    const xml = zip.file('word/document.xml')?.asText() ?? '';
    zip.file('word/document.xml', xml.replace('<w:body>', '<w:body><w:p><w:r><w:t>broken</w:r></w:p>'));
    const broken = join(dir, 'broken.docx');
    writeFileSync(broken, zip.generate({ type: 'nodebuffer' }));
    const inputs = [docs[0], broken, docs[2]] as string[];
    const pool = new LibreOfficePool({ workers: 1, combine: 3 });
    try {
      const results = await pool.toPdf(inputs, join(dir, 'fallback'));
      expect(results.map((r) => r.input)).toEqual(inputs);
      expect(results[1]?.error).toMatch(/could not open/);
      expect(results[0]?.pdf).toBeTruthy();
      expect(results[2]?.pdf).toBeTruthy();
      expect(pool.stats.combineFallbacks).toBe(1);
      expect(pool.stats.combined).toBe(0);
      expect(readdirSync(join(dir, 'fallback')).sort()).toEqual(['reg-0.pdf', 'reg-2.pdf']);
    } finally {
      await pool.close();
    }
  });
});

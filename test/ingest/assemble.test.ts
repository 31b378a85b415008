import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extract/index.js';
import { assemble, namePattern, type PageReading } from '../../src/ingest/assemble.js';
import { linkCopies } from '../../src/ingest/copies.js';
import { ingest, type ScanReader } from '../../src/ingest/index.js';

const page = (file: string, n: number, form: PageReading['form'], formPage: number): PageReading => ({
  file,
  sha256: `${file}-sha`,
  page: n,
  form,
  formPage,
  fields: [],
});

describe('multi-page assembly', () => {
  it('joins page 2 to the page 1 before it, inside a feeder PDF holding several submissions', () => {
    const subs = assemble([
      page('feeder.pdf', 1, 'registration', 1),
      page('feeder.pdf', 2, 'registration', 2),
      page('feeder.pdf', 3, 'problem', 1),
      page('feeder.pdf', 4, 'demand', 1),
      page('feeder.pdf', 5, 'demand', 2),
    ]);
    expect(subs.map((s) => [s.form, s.sources.map((x) => x.page)])).toEqual([
      ['registration', [1, 2]],
      ['problem', [3]],
      ['demand', [4, 5]],
    ]);
    expect(subs.flatMap((s) => s.issues)).toEqual([]);
  });

  it('takes a page of only the opinion cells as the next page of the form before it', () => {
    // Classified as registration page 2 from 推荐单位意见 and 审核意见 alone: demand page 2 prints both too.
    const opinionsOnly = (n: number): PageReading => ({
      ...page('batch.pdf', n, 'registration', 2),
      alternatives: [{ form: 'demand', page: 2 }],
    });
    const subs = assemble([
      page('batch.pdf', 1, 'demand', 1),
      opinionsOnly(2),
      page('batch.pdf', 3, 'registration', 1),
      opinionsOnly(4),
    ]);
    expect(subs.map((s) => [s.form, s.sources.map((x) => x.page), s.issues.map((i) => i.code)])).toEqual([
      ['demand', [1, 2], []],
      ['registration', [3, 4], []],
    ]);
  });

  it('joins pages across files (p1.png, p2.png)', () => {
    const subs = assemble([page('a-p1.png', 1, 'registration', 1), page('a-p2.png', 1, 'registration', 2)]);
    expect(subs).toHaveLength(1);
    expect(subs[0]?.sources.map((s) => s.file)).toEqual(['a-p1.png', 'a-p2.png']);
    expect(subs[0]?.issues).toEqual([]);
  });

  it('leaves a join across files to a person when the batch mixes sources, whose files interleave', () => {
    // Two apps' forwards sorted by name: which page 2 follows which page 1, the order no longer says.
    const sure = { key: 'recommendation.opinion', raw: '同意推荐。', confidence: 0.99 };
    const subs = assemble([
      page('QQ图片20220406153537.jpg', 1, 'demand', 2),
      {
        ...page('mmexport1649259644105.jpg', 1, 'registration', 1),
        fields: [{ key: 'name', raw: '王建国', confidence: 0.99 }],
      },
      {
        ...page('mmexport1649259780326.jpg', 1, 'registration', 2),
        fields: [sure],
        stamps: { recommendation: { present: true, confidence: 1 } },
      },
    ]);
    const joined = subs.find((s) => s.pages.length === 2);
    const [first, second] = joined?.pages ?? [];
    expect(first?.fields[0]?.confidence).toBe(0.99);
    expect(second?.fields[0]?.confidence).toBeLessThan(0.9);
    expect(second?.stamps?.recommendation?.confidence).toBeLessThan(0.9);
    expect(joined?.issues.map((i) => i.code)).toEqual(['page_from_another_file']);
    expect(joined?.issues[0]?.message).toContain('mmexport1649259780326.jpg');
    // One scanner's numbered files, or the pages of one PDF: the order is the stack's.
    const scanner = assemble([
      page('scan-20230103-001.tif', 1, 'registration', 1),
      { ...page('scan-20230103-002.jpg', 1, 'registration', 2), fields: [sure] },
    ]);
    expect(scanner[0]?.pages[1]?.fields[0]?.confidence).toBe(0.99);
    expect(scanner[0]?.issues).toEqual([]);
  });

  it('tells a file’s source by what its name has before the counter', () => {
    expect(namePattern('QQ图片20220406153537.jpg')).toBe('QQ图片');
    expect(namePattern('in/mmexport1649259476171.jpg')).toBe('mmexport');
    expect(namePattern('scan-20230103-001.tif')).toBe(namePattern('scan-20230103-002.jpg'));
    expect(namePattern('需求表.pdf')).toBe('需求表');
  });

  it('does not join a page 2 across a page that could not be read (it may have been its page 1)', () => {
    // Photos of two enterprises' forms: the second one's page 1 was not found as a form.
    const subs = assemble([page('a.jpg', 1, 'demand', 1), null, page('c.jpg', 1, 'demand', 2)]);
    expect(subs.map((s) => [s.sources.map((x) => x.file), s.issues.map((i) => i.code)])).toEqual([
      [['a.jpg'], ['missing_page']],
      [['c.jpg'], ['missing_page']],
    ]);
  });

  it('joins a page 2 in another file only when its table is the same printing’s', () => {
    const at = (file: string, formPage: number, left: number, right: number): PageReading => ({
      ...page(file, 1, 'demand', formPage),
      table: { left, right },
    });
    // Forwarded one by one, two enterprises' photos interleave: the page 2 after this page 1 is
    // another copy's (its table 3 % of the page further left).
    const apart = assemble([at('a.jpg', 1, 0.13, 0.881), at('b.jpg', 2, 0.102, 0.888)]);
    expect(apart.map((s) => s.sources.map((x) => x.file))).toEqual([['a.jpg'], ['b.jpg']]);
    // Each border within the allowance, on opposite sides: the tables are 3.5 % apart in width.
    const wider = assemble([at('a.jpg', 1, 0.13, 0.881), at('b.jpg', 2, 0.112, 0.898)]);
    expect(wider.map((s) => s.sources.map((x) => x.file))).toEqual([['a.jpg'], ['b.jpg']]);
    const together = assemble([at('a.jpg', 1, 0.111, 0.894), at('b.jpg', 2, 0.102, 0.89)]);
    expect(together.map((s) => s.sources.map((x) => x.file))).toEqual([['a.jpg', 'b.jpg']]);
    // Pages of one feeder PDF are one printing whatever their tables say.
    const feeder = assemble([
      { ...at('f.pdf', 1, 0.13, 0.881), page: 1 },
      { ...at('f.pdf', 2, 0.102, 0.888), page: 2 },
    ]);
    expect(feeder).toHaveLength(1);
  });

  it('keeps a page without its partner as an incomplete record, never drops it', () => {
    const subs = assemble([
      page('x.pdf', 1, 'registration', 1),
      page('x.pdf', 2, 'registration', 1),
      page('x.pdf', 3, 'demand', 2),
    ]);
    expect(subs.map((s) => [s.form, s.issues.map((i) => i.code)])).toEqual([
      ['registration', ['missing_page']],
      ['registration', ['missing_page']],
      ['demand', ['missing_page']],
    ]);
  });

  it('gives ids that depend only on the pages’ content', () => {
    const a = assemble([page('x.pdf', 1, 'problem', 1)]);
    const b = assemble([page('renamed.pdf', 1, 'problem', 1)].map((p) => ({ ...p, sha256: 'x.pdf-sha' })));
    expect(a[0]?.idSeed).toBe(b[0]?.idSeed);
  });
});

describe('一式二份', () => {
  it('links the second copy to the first instead of counting it twice', () => {
    const make = (seed: string) =>
      extractRecord({
        form: 'registration',
        fields: [
          { key: 'name', raw: '胡婉清', confidence: 1 },
          { key: 'birthMonth', raw: '1986年6月', confidence: 1 },
          { key: 'phone', raw: '137 0000 0529', confidence: 1 },
        ],
        sources: [{ file: `${seed}.docx` }],
        idSeed: seed,
      });
    const [first, second] = linkCopies([make('a'), make('b')]);
    expect(first?.copyOf).toBeUndefined();
    expect(second?.copyOf).toBe(first?.id);
    expect(second?.issues.map((i) => i.code)).toContain('duplicate_copy');
  });
});

describe('confidence that means something', () => {
  const extract = (key: string, raw: string, confidence: number) =>
    extractRecord({ form: 'registration', fields: [{ key, raw, confidence }], sources: [], idSeed: 'x' });

  it('keeps a sure reading of a value that parses', () => {
    const r = extract('phone', '137 0000 0529', 0.95);
    expect(r.fields.phone).toMatchObject({ value: '13700000529', confidence: 0.95 });
    expect(r.issues.filter((i) => i.field === 'phone')).toEqual([]);
  });

  it('drops a sure reading that does not parse below the review line, with the reason', () => {
    const r = extract('phone', '137 0000 05', 0.97);
    expect(r.fields.phone?.confidence).toBeLessThan(0.9);
    const flagged = r.issues.find((i) => i.code === 'low_confidence' && i.field === 'phone');
    expect(flagged?.message).toContain('无法解析');
  });

  it('flags an unsure reading for a person', () => {
    const r = extract('name', '胡婉清', 0.7);
    expect(r.issues.some((i) => i.code === 'low_confidence' && i.field === 'name')).toBe(true);
    expect(extract('name', '胡婉清', 0.95).issues.some((i) => i.field === 'name')).toBe(false);
  });
});

describe('what ingest says a page was', () => {
  it('is the form a page of only the opinion cells joined, not the first guess', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xietong-join-'));
    const files = ['a-p1.png', 'a-p2.png'].map((n) => join(dir, n));
    for (const f of files)
      await sharp({ create: { width: 40, height: 56, channels: 3, background: '#fff' } })
        .png()
        .toFile(f);
    const reader: ScanReader = {
      async readPage(image) {
        const first = image.file.endsWith('p1.png');
        return {
          ...page(image.file, image.page, first ? 'demand' : 'registration', first ? 1 : 2),
          sha256: image.sha256,
          ...(first ? {} : { alternatives: [{ form: 'demand' as const, page: 2 }] }),
        };
      },
    };
    const result = await ingest(files, { reader });
    expect(result.submissions.map((s) => [s.form, s.sources.length])).toEqual([['demand', 2]]);
    expect(result.pages.map((p) => [p.form, p.formPage])).toEqual([
      ['demand', 1],
      ['demand', 2],
    ]);
  });
});

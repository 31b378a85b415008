// Filled .docx forms are read from their cells: every sample record rendered into its template and
// ingested again must come back with exactly the values it went in with, and with the programme
// issues the sample is built to trigger.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IngestResult, ingest } from '../../src/ingest/index.js';
import { renderFormDocx } from '../../src/render/forms.js';
import type { FieldValues, SubmissionRecord } from '../../src/types.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-docx-'));
const samples: SubmissionRecord[] = ['registration', 'demand', 'problem'].flatMap(
  (kind) => JSON.parse(readFileSync(`samples/records/${kind}.json`, 'utf8')) as SubmissionRecord[],
);
const expected = JSON.parse(readFileSync('samples/expected-issues.json', 'utf8')).issues as Record<
  string,
  string[]
>;
const valuesOf = (r: SubmissionRecord): FieldValues =>
  Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v.value]));

let result: IngestResult;
beforeAll(async () => {
  for (const r of samples)
    writeFileSync(join(dir, `${r.id}.docx`), await renderFormDocx(r.form, valuesOf(r)));
  // Not a form: a .docx with other content; and a corrupt one.
  const zip = new PizZip(await renderFormDocx('problem', null));
  const xml = zip.file('word/document.xml')?.asText() ?? '';
  zip.file(
    'word/document.xml',
    xml.replace(/<w:body>[\s\S]*<\/w:body>/, '<w:body><w:p><w:r><w:t>会议纪要</w:t></w:r></w:p></w:body>'),
  );
  writeFileSync(join(dir, 'zz-minutes.docx'), zip.generate({ type: 'nodebuffer' }));
  writeFileSync(
    join(dir, 'zz-broken.docx'),
    Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('word/document.xml'), Buffer.alloc(50)]),
  );
  result = await ingest([dir], { referenceDate: '2020-06-30' });
});

const bySample = (id: string) => result.submissions.find((s) => s.sources[0]?.file.endsWith(`/${id}.docx`));

describe('ingest of filled .docx forms', () => {
  it('makes one record per file and a failure per file that is not a form', () => {
    expect(result.submissions).toHaveLength(samples.length);
    expect(result.failures.map((f) => [f.file.split('/').pop(), f.code])).toEqual([
      ['zz-broken.docx', 'corrupt_docx'],
      ['zz-minutes.docx', 'not_a_form'],
    ]);
  });

  it.each(samples.map((s) => [s.id, s] as const))(
    '%s: every value comes back in its normal form',
    (id, sample) => {
      const got = bySample(id);
      expect(got?.form).toBe(sample.form);
      for (const [key, fv] of Object.entries(sample.fields)) {
        if (key === 'photo' || key.endsWith('.stamped')) continue;
        expect({ key, value: got?.fields[key]?.value ?? null }).toEqual({ key, value: fv.value });
        expect(got?.fields[key]?.confidence).toBe(1);
      }
    },
  );

  it('reports exactly the programme issues each sample is built to trigger', () => {
    const programme = new Set([
      'service_under_two_years',
      'not_eligible_title_or_degree',
      'team_size_missing',
      'no_needs_filled',
    ]);
    for (const sample of samples) {
      const codes = (bySample(sample.id)?.issues ?? []).map((i) => i.code).filter((c) => programme.has(c));
      expect({ id: sample.id, codes: [...new Set(codes)].sort() }).toEqual({
        id: sample.id,
        codes: [...(expected[sample.id] ?? [])].sort(),
      });
    }
  });

  it('gives the same ids when the same files are ingested again', async () => {
    const again = await ingest([dir], { referenceDate: '2020-06-30' });
    expect(again.submissions.map((s) => s.id).sort()).toEqual(result.submissions.map((s) => s.id).sort());
  });
});

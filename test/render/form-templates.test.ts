// The templates are edited by hand in Word: these checks catch a mistyped, split or forgotten tag
// and a label that went missing or moved, before anyone prints a form.
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { FORMS } from '../../src/forms/index.js';
import { checkTemplateTags, printedFields } from '../../src/render/forms.js';
import { FORM_KINDS } from '../../src/types.js';
import { documentXml, docxText, labelsOutOfOrder, printedLabels, template } from './forms-helpers.js';

/** A copy of a template with its document.xml edited. */
function edited(buffer: Buffer, edit: (xml: string) => string): Buffer {
  const zip = new PizZip(buffer);
  zip.file('word/document.xml', edit(zip.file('word/document.xml')?.asText() ?? ''));
  return zip.generate({ type: 'nodebuffer' }) as Buffer;
}

describe.each(FORM_KINDS)('template of %s', (kind) => {
  const buffer = template(kind);

  it('has exactly the printed field keys as tags', () => {
    expect(checkTemplateTags(kind, buffer)).toEqual([]);
  });

  it('writes each tag within one run, so Word keeps it whole', () => {
    const xml = documentXml(buffer);
    for (const f of printedFields(kind)) expect(xml, f.key).toContain(`>{${f.key}}</w:t>`);
  });

  it('prints every label in paper order', () => {
    expect(labelsOutOfOrder(docxText(buffer), printedLabels(kind))).toEqual([]);
  });

  it('has no tag for stamps or photos', () => {
    const xml = documentXml(buffer);
    for (const f of FORMS[kind].fields.filter((x) => x.printed === false))
      expect(xml).not.toContain(`{${f.key}}`);
  });
});

describe('checkTemplateTags', () => {
  const good = template('registration');

  it('reports a mistyped tag and the field it leaves without a tag', () => {
    const broken = edited(good, (xml) => xml.replace('{name}', '{nmae}'));
    const problems = checkTemplateTags('registration', broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unknown_tag', tag: 'nmae' }),
        expect.objectContaining({ code: 'missing_tag', tag: 'name' }),
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('reports a tag for a stamp, a tag of another form and a loop', () => {
    const broken = edited(good, (xml) =>
      xml.replace('{phone}', '{phone}{recommendation.stamped}{companyName}{#items}{.}{/items}'),
    );
    const problems = checkTemplateTags('registration', broken);
    expect(problems.map((p) => `${p.code} ${p.tag}`).sort()).toEqual(
      [
        'loop_tag items',
        'loop_tag .',
        'unknown_tag companyName',
        'unknown_tag recommendation.stamped',
      ].sort(),
    );
    expect(problems.find((p) => p.tag === 'recommendation.stamped')?.message).toMatch(/not printed/);
  });

  it('checks a template against the form it belongs to', () => {
    expect(checkTemplateTags('problem', good).filter((p) => p.code === 'unknown_tag').length).toBeGreaterThan(
      5,
    );
  });
});

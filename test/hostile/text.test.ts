// Text that talks to the terminal or hides behind XML: an ESC in a .docx cell or a file name never
// reaches the terminal raw; such values, and entity references the parser left unresolved, are
// issues on the record; the parser's own complaints name the file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.js';
import { escapeControl } from '../../src/terminal.js';
import { runCli } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'xietong-hostile-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ESC = '\u001b';
const forms = join(dir, 'forms');
const escName = join(forms, `a${ESC}]0;pwned${ESC}\\.docx`);
const db = join(dir, 'x.db');

/** prob-01.docx with its document.xml changed. */
function sampleWith(edit: (xml: string) => string): Buffer {
  const zip = new PizZip(readFileSync('samples/docx/prob-01.docx'));
  zip.file('word/document.xml', edit(zip.file('word/document.xml')?.asText() ?? ''));
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

beforeAll(() => {
  mkdirSync(forms);
  // An OSC 52 clipboard write and a screen clear typed into 难题名称 as character references.
  writeFileSync(
    escName,
    sampleWith((x) =>
      x.replace('日用陶瓷隧道窑低能耗快速烧成技术', '日用陶瓷&#x1b;]52;c;ZWNobyBwd25lZA==&#x7;&#x1b;[2J技术'),
    ),
  );
  writeFileSync(
    join(forms, 'b-entity.docx'),
    sampleWith((x) =>
      x
        .replace(
          '<w:document ',
          '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document ',
        )
        .replace('景德镇市陶瓷工业园区兴业路18号', '&xxe;'),
    ),
  );
});

describe('control characters and entities', () => {
  it('escape control characters as \\u001b, keeping line breaks and tabs', () => {
    expect(escapeControl(`a${ESC}[2J\u009b\tb\nc\r\u202e`)).toBe('a\\u001b[2J\\u009b\tb\nc\\u000d\\u202e');
  });

  it('flag the values as issues on their records, and the parser complaint names the file', async () => {
    const result = await ingest([forms]);
    expect(result.failures).toEqual([]);
    const [withEsc, withEntity] = result.submissions;
    expect(withEsc?.issues.filter((i) => i.code === 'control_characters').map((i) => i.field)).toEqual([
      'title',
    ]);
    expect(withEntity?.issues.find((i) => i.code === 'unresolved_entity')?.field).toBe('address');
    const xml = withEntity?.issues.find((i) => i.code === 'xml_problem');
    expect(xml?.message).toContain('b-entity.docx');
    expect(xml?.message).toMatch(/xxe/);
  });

  it('reach no terminal raw: ingest summary, store list, store show and JSON output', () => {
    const runs = [
      runCli(['ingest', forms, '--db', db, '--out', join(dir, 'out')]),
      runCli(['ingest', forms, '--db', db, '--out', join(dir, 'out'), '--json']),
      runCli(['store', 'list', '--db', db]),
      runCli(['store', 'queue', '--db', db]),
      runCli(['check', '--db', db]),
      runCli(['ingest', escName, join(dir, `missing${ESC}[2J`), '--no-db', '--out', join(dir, 'out2')]),
    ];
    for (const run of runs) {
      expect(run.stdout + run.stderr).not.toContain(ESC);
      expect(run.stdout + run.stderr).not.toContain('\u0007');
    }
    expect(runs[2]?.stdout).toContain('日用陶瓷\\u001b]52;c;');
    expect(JSON.parse(runs[1]?.stdout ?? '').submissions).toHaveLength(2);
    expect(runs[5]?.stderr).toContain('missing\\u001b[2J');
    expect(readFileSync(join(dir, 'out2', 'summary.txt'), 'utf8')).not.toContain(ESC);
  });
});

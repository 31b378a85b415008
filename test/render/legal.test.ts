// Legal documents only from verified data: an agreement whose 乙方 record nobody has approved is
// refused, naming the record; with --draft it is written, the unverified values marked in the text
// and listed on a last 待核对 page; a missing term is named too, and prints as a line to write on.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAgreementsCommand, renderCertificatesCommand } from '../../src/cli/render-documents.js';
import { RunError } from '../../src/errors.js';
import { loadProjects, type Project } from '../../src/projects/types.js';
import { readiness } from '../../src/projects/verify.js';
import { openStore } from '../../src/store/index.js';
import { sampleRecords } from '../store/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'xietong-legal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'x.db');

const docText = (docx: string) =>
  [
    ...(new PizZip(readFileSync(docx)).file('word/document.xml')?.asText() ?? '').matchAll(
      /<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g,
    ),
  ]
    .map((m) => m[1])
    .join('');

const sink = () => {
  let said = '';
  return { out: { write: (s: string) => (said += s) }, said: () => said };
};

let project: Project;

beforeAll(async () => {
  // 2020-XT-002: 甲方 from dem-02 (approved), 乙方 from reg-02 (read, never approved).
  const sample = await loadProjects(join(ROOT, 'samples/projects.json'));
  project = sample.find((p) => p.id === '2020-XT-002') as Project;
  const store = await openStore(db);
  await store.putIngestResult({ submissions: sampleRecords() });
  await store.approveRecord('dem-02', { by: '张三' });
  await store.putProject({ ...project, state: 'matched' }, { by: '张三' });
  await store.close();
});

describe('render agreements from the store', () => {
  it('refuses a project whose 乙方 record is not approved, naming the record', async () => {
    const io = sink();
    const err = await renderAgreementsCommand(
      undefined,
      { db, out: join(tmp, 'final'), pdf: false },
      io.out,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).exit).toBe('badDataFile');
    expect(io.said()).toContain('乙方报名表 reg-02「潘慧敏」尚未核对');
    // 甲方's record is approved: not named.
    expect(io.said()).not.toMatch(/甲方企业需求表 dem-02/);
  });

  it('with --draft writes it anyway: the value marked in the text, listed on the last page', async () => {
    const io = sink();
    const summary = await renderAgreementsCommand(
      undefined,
      { db, out: join(tmp, 'draft'), pdf: false, draft: true },
      io.out,
    );
    expect(summary.written).toHaveLength(1);
    const w = summary.written[0];
    expect(w?.docx).toMatch(/2020-XT-002 景德镇市青岚艺术瓷业有限公司-潘慧敏-三方协议\.docx$/);
    const text = docText(w?.docx as string);
    expect(text).toContain('草稿（含未经核对或尚未填写的内容，不得签署）');
    expect(text).toContain('乙方（入企人才）：潘慧敏〔待核对〕');
    // 甲方 comes from an approved record: its values are not marked.
    expect(text).toContain('甲方（企业）：景德镇市青岚艺术瓷业有限公司法定代表人');
    const review = text.slice(text.indexOf('待核对事项'));
    expect(review).toContain('乙方报名表「潘慧敏」');
    expect(review).toContain('表格尚未核对');
    // The store's record ids never reach paper.
    expect(text).not.toContain('reg-02');
  });

  it('names an empty term too, and prints it as a line to write on', async () => {
    const store = await openStore(db);
    await store.approveRecord('reg-02', { by: '张三' });
    const p = (await store.getProject('2020-XT-002')) as Project;
    await store.putProject(
      { ...p, dispatchingUnit: { name: p.dispatchingUnit.name }, goals: [], acceptance: undefined },
      { by: '张三', note: '测试' },
    );
    const changes = await store.projectChanges('2020-XT-002');
    expect(changes.map((c) => [c.path, c.by])).toEqual(
      expect.arrayContaining([
        ['goals', '张三'],
        ['dispatchingUnit.legalRepresentative', '张三'],
      ]),
    );
    await store.close();
    const io = sink();
    await expect(
      renderAgreementsCommand(undefined, { db, out: join(tmp, 'final2'), pdf: false }, io.out),
    ).rejects.toThrow(RunError);
    expect(io.said()).toContain('丙方法定代表人（dispatchingUnit.legalRepresentative）未填写');
    expect(io.said()).toContain('工作目标与考核指标（goals）未填写');
    const drafted = await renderAgreementsCommand(
      undefined,
      { db, out: join(tmp, 'draft2'), pdf: false, draft: true },
      sink().out,
    );
    const text = docText(drafted.written[0]?.docx as string);
    expect(text).toContain('法定代表人：＿＿＿＿〔待补〕');
    expect(text).not.toContain('（具体目标由三方商定后填写。）');
    expect(text).toContain('考核指标作为验收依据：＿＿＿＿〔待补〕');
  });

  it('gives no certificate for a project whose 验收 did not pass', async () => {
    const io = sink();
    const store = await openStore(db);
    const p = (await store.getProject('2020-XT-002')) as Project;
    await store.putProject(
      {
        ...p,
        goals: project.goals,
        acceptance: { ...(project.acceptance ?? { experts: [], results: [] }), conclusion: 'reconsider' },
      },
      { by: '张三' },
    );
    await store.close();
    const result = await renderCertificatesCommand(
      undefined,
      { db, out: join(tmp, 'cert'), pdf: false },
      io.out,
    );
    expect(result.summary.written).toEqual([]);
    expect(io.said()).toContain('验收结论为「需要复议」，不出具验收证书');
  });
});

describe('readiness', () => {
  it('names a team annex that lists another number of people than the team sends', async () => {
    const sample = await loadProjects(join(ROOT, 'samples/projects.json'));
    const team = sample.find((p) => p.id === '2020-XT-004') as Project;
    const records = new Map(
      ['dem-04', 'reg-04'].map((id) => [
        id,
        {
          id,
          form: id.startsWith('dem') ? ('demand' as const) : ('registration' as const),
          verified: true,
          title: '',
        },
      ]),
    );
    expect(readiness(team, 'agreement', records).problems).toEqual([]);
    const short = {
      ...team,
      professional: { ...team.professional, members: team.professional.members?.slice(0, 2) },
    };
    expect(readiness(short, 'agreement', records).problems.map((p) => p.message)).toEqual([
      '团队成员名单列了 2 人，与团队入企人数 5 人不符（professional.members）',
    ]);
  });
});

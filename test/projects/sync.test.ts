// Corrections approved on a record after its project was made reach the project (and so its
// agreement); what a person set on the project by hand stays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectFromMatch } from '../../src/projects/from-match.js';
import { SYNC_NOTE, syncFromRecord } from '../../src/projects/sync.js';
import type { Project } from '../../src/projects/types.js';
import { openStore, type SqliteRecordStore } from '../../src/store/index.js';
import { sampleRecords } from '../match/helpers.js';
import { steppingClock } from '../store/helpers.js';

const records = sampleRecords();
const record = (id: string) => structuredClone(records.find((r) => r.id === id) as (typeof records)[number]);

function sampleProject(): Project {
  const built = projectFromMatch(
    {
      kind: 'demand',
      demandId: 'dem-01',
      registrationId: 'reg-01',
      score: 90,
      enterprise: '',
      professional: '',
      at: { sheet: 't', row: 2 },
    },
    records,
    { start: '2020-07-01', requestedFunding: 15 },
  );
  if (!built.ok) throw new Error(built.problems.join('\n'));
  return built.project;
}

describe('syncFromRecord', () => {
  it('takes the record’s values for what the project copied, leaves hand-set values and blanks', () => {
    const p = sampleProject();
    const dem = record('dem-01');
    (dem.fields.legalRepresentative as { value: unknown }).value = '王建国';
    (dem.fields.contactPhone as { value: unknown }).value = '0798-8888888';
    (dem.fields.mainProducts as { value: unknown }).value = null;
    const out = syncFromRecord(p, dem, new Set(['enterprise.contactPhone']));
    expect(out.changed).toEqual(['enterprise.legalRepresentative']);
    expect(out.kept).toEqual(['enterprise.contactPhone']);
    expect(out.project.enterprise.legalRepresentative).toBe('王建国');
    expect(out.project.enterprise.contactPhone).toBe(p.enterprise.contactPhone);
    expect(out.project.enterprise.mainProducts).toBe(p.enterprise.mainProducts);
    expect(p.enterprise.legalRepresentative).not.toBe('王建国'); // the input is not changed
    // a record the project was not made from changes nothing
    expect(syncFromRecord(p, { ...dem, id: 'dem-99' }, new Set()).changed).toEqual([]);
  });
});

describe('approving a corrected record', () => {
  let dir: string;
  let store: SqliteRecordStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-sync-'));
    store = await openStore(join(dir, 'x.db'), { now: steppingClock() });
    await store.putIngestResult({ submissions: [record('dem-01'), record('reg-01')] });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries the correction into the project, in its history by the approver; a hand-set value stays', async () => {
    const p = sampleProject();
    await store.putProject(p, { by: '市科技局', note: '对接确认' });
    // the clerk set the contact phone on the project itself (terms workbook)
    await store.putProject(
      { ...p, enterprise: { ...p.enterprise, contactPhone: '0798-1234567' } },
      { by: '经办人', note: '项目条款录入' },
    );
    await store.correctField('dem-01', 'legalRepresentative', {
      value: '王建国',
      by: '李四',
      reason: '甲方来函',
    });
    await store.correctField('dem-01', 'contactPhone', { value: '0798-7654321', by: '李四' });
    await store.correctField('reg-01', 'phone', { value: '13900009999', by: '李四' });
    // a correction alone is not yet checked: the project keeps what it had
    expect((await store.getProject(p.id))?.enterprise.legalRepresentative).toBe(
      p.enterprise.legalRepresentative,
    );

    await store.approveRecord('dem-01', { by: '王五' });
    await store.approveRecord('reg-01', { by: '王五' });
    const now = (await store.getProject(p.id)) as Project;
    expect(now.enterprise.legalRepresentative).toBe('王建国');
    expect(now.professional.phone).toBe('13900009999');
    expect(now.enterprise.contactPhone).toBe('0798-1234567');
    const changes = await store.projectChanges(p.id);
    const synced = changes.filter((c) => c.note === SYNC_NOTE);
    expect(synced.map((c) => [c.path, c.to, c.by])).toEqual([
      ['enterprise.legalRepresentative', '王建国', '王五'],
      ['professional.phone', '13900009999', '王五'],
    ]);

    // a later correction of a synced value flows again: a sync is not a hand edit
    await store.correctField('dem-01', 'legalRepresentative', { value: '王建民', by: '李四' });
    await store.approveRecord('dem-01', { by: '王五' });
    expect((await store.getProject(p.id))?.enterprise.legalRepresentative).toBe('王建民');
  });
});

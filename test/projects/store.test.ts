// Projects in the store: round trip, the append-only history, and transitions refused in Chinese.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectFromMatch } from '../../src/projects/from-match.js';
import type { Project } from '../../src/projects/types.js';
import { openStore, type SqliteRecordStore, StoreError } from '../../src/store/index.js';
import { sampleRecords } from '../match/helpers.js';
import { steppingClock } from '../store/helpers.js';

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
    sampleRecords(),
    { start: '2020-07-01', requestedFunding: 15 },
  );
  if (!built.ok) throw new Error(built.problems.join('\n'));
  return built.project;
}

let dir: string;
let store: SqliteRecordStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-projects-'));
  store = await openStore(join(dir, 'x.db'), { now: steppingClock() });
});
afterEach(async () => {
  await store.close();
});

describe('projects in the store', () => {
  it('round-trips a project and records its creation', async () => {
    const p = sampleProject();
    expect(await store.putProject(p, { by: '张三', note: '对接确认' })).toBe('inserted');
    expect(await store.getProject(p.id)).toEqual(p);
    expect(await store.listProjects()).toEqual([p]);
    expect(await store.putProject(p, { by: '张三' })).toBe('unchanged');
    expect(await store.putProject({ ...p, title: '隧道窑节能' }, { by: '张三' })).toBe('updated');
    expect((await store.getProject(p.id))?.title).toBe('隧道窑节能');
    const history = await store.projectHistory(p.id);
    expect(history).toEqual([
      {
        id: 1,
        projectId: p.id,
        at: '2020-06-01T08:00:00.000Z',
        by: '张三',
        from: null,
        to: 'matched',
        note: '对接确认',
      },
    ]);
    expect(await store.getProject('nope')).toBeUndefined();
  });

  it('moves a project along the programme and keeps every step', async () => {
    const p = sampleProject();
    await store.putProject(p, { by: '张三' });
    const steps = ['agreed', 'evaluated', 'funded', 'underway', 'accepted'] as const;
    for (const s of steps) await store.setProjectState(p.id, s, { by: '李四', note: `到 ${s}` });
    expect((await store.getProject(p.id))?.state).toBe('accepted');
    expect((await store.listProjects({ state: 'accepted' })).length).toBe(1);
    expect((await store.listProjects({ state: 'matched' })).length).toBe(0);
    const history = await store.projectHistory(p.id);
    expect(history.map((h) => [h.from, h.to])).toEqual([
      [null, 'matched'],
      ['matched', 'agreed'],
      ['agreed', 'evaluated'],
      ['evaluated', 'funded'],
      ['funded', 'underway'],
      ['underway', 'accepted'],
    ]);
    expect(history[1]).toMatchObject({ by: '李四', note: '到 agreed' });
    // The history is append-only in the database itself.
    await store.close();
    const db = new Database(join(dir, 'x.db'));
    expect(() => db.prepare('DELETE FROM project_history').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE project_history SET actor = 'x'").run()).toThrow(/append-only/);
    db.close();
  });

  it('refuses a skipped step, a move out of a final state and a state change through putProject', async () => {
    const p = sampleProject();
    await store.putProject(p, { by: '张三' });
    const err = await store.setProjectState(p.id, 'funded', { by: '李四' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toMatch(
      /不能从「已对接」改为「已立项资助」.*只能是「已签订三方协议」/,
    );
    expect((await store.getProject(p.id))?.state).toBe('matched');
    expect((await store.projectHistory(p.id)).length).toBe(1);
    await expect(store.putProject({ ...p, state: 'agreed' }, { by: '张三' })).rejects.toThrow(/修改状态/);
    await expect(store.setProjectState(p.id, 'agreed', { by: ' ' })).rejects.toThrow(/操作人/);
    await expect(store.setProjectState('nope', 'agreed', { by: '李四' })).rejects.toThrow(/找不到项目/);
    for (const s of ['agreed', 'evaluated', 'funded', 'underway', 'notAccepted'] as const) {
      await store.setProjectState(p.id, s, { by: '李四' });
    }
    await expect(store.setProjectState(p.id, 'accepted', { by: '李四' })).rejects.toThrow(/最终状态/);
  });
});

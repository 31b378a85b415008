// projectFromMatch on the fictional samples: every intended pair becomes a schema-valid project
// whose parties come from the two forms and whose tasks follow the demand's needs.
import { describe, expect, it } from 'vitest';
import { projectFromMatch, projectIdFor, unitOf } from '../../src/projects/from-match.js';
import { type DemandStub, DUTY_NAMES, ProjectSchema } from '../../src/projects/index.js';
import { intendedMatches, record, sampleRecords } from '../match/helpers.js';

const records = sampleRecords();
const stub = (demandId: string, registrationId: string): DemandStub => ({
  kind: 'demand',
  demandId,
  registrationId,
  score: 80,
  enterprise: '',
  professional: '',
  at: { sheet: 'test', row: 2 },
});
const options = { start: '2020-07-01', requestedFunding: 10 };

describe('projectFromMatch', () => {
  const withNeeds = intendedMatches().filter((m) => m.demand !== 'dem-09');

  it.each(withNeeds)('builds $demand ↔ $registration with parties filled and tasks from needs', (m) => {
    const built = projectFromMatch(stub(m.demand, m.registration), records, options);
    if (!built.ok) throw new Error(built.problems.join('\n'));
    const p = built.project;
    expect(ProjectSchema.safeParse(p).success).toBe(true);
    const demand = records.find((r) => r.id === m.demand);
    const reg = records.find((r) => r.id === m.registration);
    expect(p.id).toBe(`${m.demand}_${m.registration}`);
    expect(p.state).toBe('matched');
    expect(p.sources).toEqual({ demand: m.demand, registration: m.registration });
    expect(p.enterprise.name).toBe(demand?.fields.companyName?.value);
    expect(p.enterprise.contactPerson).toBe(demand?.fields.contactPerson?.value);
    expect(p.professional.name).toBe(reg?.fields.name?.value);
    expect(p.professional.phone).toBe(reg?.fields.phone?.value);
    expect(p.dispatchingUnit.name).toBe(reg?.fields.fillingUnit?.value);
    expect(p.plannedWork).toBe(reg?.fields.plannedWork?.value);
    expect(p.term).toEqual({ start: '2020-07-01', end: '2021-06-30' });
    expect(p.funding.requested).toBe(10);
    // Every filled need shows up as its duty, and no duty without a need.
    const filled = (k: string) => Boolean(demand?.fields[`needs.${k}`]?.value);
    const duties = p.tasks.map((t) => t.duty);
    expect(duties.includes('solveProblems')).toBe(filled('problems'));
    expect(duties.includes('trainTeam')).toBe(filled('teamTraining'));
    expect(duties.includes('buildPlatform')).toBe(filled('rdPlatform'));
    expect(duties.includes('transferResults')).toBe(filled('techTransfer') || filled('majorCooperation'));
    expect(built.missing).toContain('goals');
    expect(built.missing).toContain('enterprise.address');
  });

  it('gives dem-01 ↔ reg-01 the duties of the sample project and the team', () => {
    const built = projectFromMatch(stub('dem-01', 'reg-01'), records, options);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.project.tasks.map((t) => DUTY_NAMES[t.duty])).toEqual([
      '解决企业技术难题',
      '培养企业技术团队',
    ]);
    expect(built.project.professional).toMatchObject({
      teamName: '陶瓷窑炉节能与烧成技术团队',
      teamSize: 4,
      gender: '男',
    });
  });

  it('reports a demand without needs instead of inventing tasks, and builds it when tasks are given', () => {
    const bare = projectFromMatch(stub('dem-09', 'reg-10'), records, options);
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.problems.join()).toMatch(/技术人才需求/);
    const chosen = projectFromMatch(stub('dem-09', 'reg-10'), records, {
      ...options,
      tasks: ['solveProblems'],
    });
    expect(chosen.ok).toBe(true);
  });

  it('reports what is not there: unknown ids, no start date, no funding', () => {
    const none = projectFromMatch(stub('dem-99', 'reg-01'), records, options);
    expect(none.ok).toBe(false);
    const open = projectFromMatch(stub('dem-01', 'reg-01'), records);
    expect(open.ok).toBe(true);
    if (!open.ok) return;
    expect(open.project.term).toEqual({});
    expect(open.project.funding.requested).toBeNull();
    expect(open.missing).toEqual(expect.arrayContaining(['term', 'funding.requested']));
    const tooMuch = projectFromMatch(stub('dem-01', 'reg-01'), records, { ...options, requestedFunding: 50 });
    expect(tooMuch.ok).toBe(false);
  });

  it('takes the dispatching unit from the employer when the filling unit is blank, with a note', () => {
    const reg = record('r1', 'registration', {
      name: '王五',
      fillingUnit: null,
      employerAndPosition: '景德镇学院陶瓷美术学院副教授',
    });
    const built = projectFromMatch(stub('dem-01', 'r1'), [...records, reg], options);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.project.dispatchingUnit.name).toBe('景德镇学院');
    expect(built.notes.join()).toMatch(/dispatchingUnit/);
    expect(built.missing).toContain('professional.gender');
  });

  it('derives ids that name files, hashing ids that would not', () => {
    expect(projectIdFor('dem-01', 'reg-01')).toBe('dem-01_reg-01');
    const long = projectIdFor('a'.repeat(40), 'b/c');
    expect(long).toMatch(/^p-[0-9a-f]{16}$/);
    expect(projectIdFor('a'.repeat(40), 'b/c')).toBe(long);
    expect(unitOf('中国轻工业陶瓷研究所釉料研究室高级工程师')).toBe('中国轻工业陶瓷研究所');
    expect(unitOf('自由职业')).toBeNull();
  });
});

// projects.json, the input of the score sheets, agreements and certificates: the sample, what the
// schema refuses (with the project's id in the message), and the date arithmetic of the half-year rule.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { addMonths, parseProjects, termIsLongEnough, termMonths } from '../../src/projects/types.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'samples/projects.json');
const sample = readFileSync(SAMPLE, 'utf8');

const problem = (json: unknown): string => {
  try {
    parseProjects(JSON.stringify(json), 'bad.json');
  } catch (err) {
    expect(err).toBeInstanceOf(RunError);
    expect((err as RunError).exit).toBe('badDataFile');
    return (err as RunError).message;
  }
  throw new Error('expected an error');
};

describe('samples/projects.json', () => {
  const projects = parseProjects(sample, SAMPLE);

  it('holds one project per intended match, built from the sample records', () => {
    const matches = JSON.parse(readFileSync(join(ROOT, 'samples/intended-matches.json'), 'utf8')).matches as {
      demand: string;
      registration: string;
    }[];
    expect(projects.map((p) => [p.sources.demand, p.sources.registration])).toEqual(
      matches.map((m) => [m.demand, m.registration]),
    );
    const demands = JSON.parse(readFileSync(join(ROOT, 'samples/records/demand.json'), 'utf8')) as {
      id: string;
      fields: Record<string, { value: unknown }>;
    }[];
    for (const p of projects) {
      const d = demands.find((r) => r.id === p.sources.demand);
      expect(p.enterprise.name).toBe(d?.fields.companyName?.value);
    }
  });

  it('covers every state from matched to accepted', () => {
    expect(new Set(projects.map((p) => p.state))).toEqual(
      new Set(['matched', 'agreed', 'evaluated', 'funded', 'underway', 'accepted']),
    );
  });
});

describe('parseProjects', () => {
  const base = JSON.parse(sample).projects[0];

  it('names the project and the path of each problem', () => {
    const message = problem({
      projects: [
        { ...base, funding: { requested: 25 } },
        { ...base, id: 'B', tasks: [{ duty: 'teachClasses' }] },
        { ...base, id: 'C', term: { start: '2020-02-30' } },
      ],
    });
    expect(message).toMatch(/projects\[0\]\.funding\.requested \(2020-XT-001\): must be at most 20 万元/);
    expect(message).toMatch(
      /projects\[1\]\.tasks\[0\]\.duty \(B\): must be one of solveProblems \(解决企业技术难题\)/,
    );
    expect(message).toMatch(/projects\[2\]\.term\.start \(C\): must be a date like 2020-07-01/);
  });

  it('refuses duplicate ids and duties, no duty at all, unknown keys, and ids unfit for file names', () => {
    expect(problem([base, base])).toMatch(/\[1\]\.id \(2020-XT-001\): duplicate project id/);
    expect(problem([{ ...base, tasks: [{ duty: 'trainTeam' }, { duty: 'trainTeam' }] }])).toMatch(
      /listed twice/,
    );
    expect(problem([{ ...base, tasks: [] }])).toMatch(/choose at least one of the four duties/);
    expect(problem([{ ...base, colour: 'red' }])).toMatch(/colour/);
    expect(problem([{ ...base, id: '../x' }])).toMatch(/it names files/);
    expect(problem({ items: [] })).toMatch(/unknown top-level key\(s\): items/);
    expect(() => parseProjects('{', 'bad.json')).toThrow(/not valid JSON/);
  });

  it('accepts a bare array and fills defaults', () => {
    const [p] = parseProjects(
      JSON.stringify([{ ...base, funding: undefined, goals: undefined, acceptance: undefined }]),
      'x.json',
    );
    expect(p?.funding).toEqual({});
    expect(p?.goals).toEqual([]);
  });
});

describe('the half-year rule', () => {
  it('counts calendar months, the end date included', () => {
    expect(termMonths('2020-07-01', '2020-12-31')).toBe(6);
    expect(termMonths('2020-07-01', '2021-06-30')).toBe(12);
    expect(termMonths('2020-07-15', '2021-01-13')).toBe(5);
    expect(addMonths('2020-08-31', 6)).toBe('2021-02-28');
    expect(termIsLongEnough('2020-07-01', '2020-12-31')).toBe(true);
    expect(termIsLongEnough('2020-07-01', '2020-12-30')).toBe(false);
    expect(termIsLongEnough('2020-08-31', '2021-02-27')).toBe(true);
  });
});

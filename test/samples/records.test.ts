// The fictional sample records are ground truth for OCR, checks and matching: they must be valid
// records in their normal forms, complete, and honest about the rules they break on purpose.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { normalizeField, validateRecord } from '../../src/domain/index.js';
import { FORMS, fieldDef, NEEDS_KEYS, VALUES_SCHEMAS } from '../../src/forms/index.js';
import {
  type FieldValues,
  FORM_KINDS,
  type FormKind,
  type SubmissionRecord,
  SubmissionRecordSchema,
} from '../../src/types.js';

const SAMPLES = fileURLToPath(new URL('../../samples', import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(SAMPLES, path), 'utf8'));

const records: Record<FormKind, SubmissionRecord[]> = {
  registration: z.array(SubmissionRecordSchema).parse(readJson('records/registration.json')),
  demand: z.array(SubmissionRecordSchema).parse(readJson('records/demand.json')),
  problem: z.array(SubmissionRecordSchema).parse(readJson('records/problem.json')),
};
const all = FORM_KINDS.flatMap((k) => records[k]);
const byId = new Map(all.map((r) => [r.id, r]));

const valuesOf = (r: SubmissionRecord): FieldValues =>
  Object.fromEntries(Object.entries(r.fields).map(([k, f]) => [k, f.value]));
const str = (r: SubmissionRecord, key: string): string | null => {
  const v = r.fields[key]?.value;
  return typeof v === 'string' ? v : null;
};

describe('sample records', () => {
  it('come in the promised numbers, each file holding its own form, ids unique', () => {
    expect(records.registration.length).toBeGreaterThanOrEqual(10);
    expect(records.demand.length).toBeGreaterThanOrEqual(8);
    expect(records.problem.length).toBeGreaterThanOrEqual(4);
    for (const kind of FORM_KINDS) for (const r of records[kind]) expect(r.form).toBe(kind);
    expect(byId.size).toBe(all.length);
  });

  it('hold every field of their form and no other, at confidence 1', () => {
    for (const r of all) {
      for (const key of Object.keys(r.fields)) expect(fieldDef(r.form, key), `${r.id}: ${key}`).toBeDefined();
      for (const f of FORMS[r.form].fields)
        expect(r.fields[f.key], `${r.id}: ${f.key} missing`).toBeDefined();
      for (const [key, f] of Object.entries(r.fields)) expect(f.confidence, `${r.id}.${key}`).toBe(1);
    }
  });

  it('keep values in their normal forms (VALUES_SCHEMAS)', () => {
    for (const r of all) {
      const parsed = VALUES_SCHEMAS[r.form].safeParse(valuesOf(r));
      expect(parsed.success, `${r.id}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('keep the paper text in raw beside every written value, and text values normalised', () => {
    const cjkSpace = /[\u3000-\u9fff][ \t\u00a0]+[\u3000-\u9fff]/; // paragraph breaks (\n) are kept
    for (const r of all) {
      for (const def of FORMS[r.form].fields) {
        const f = r.fields[def.key];
        if (!f || f.value === null || def.kind === 'stamp') continue;
        expect(f.raw, `${r.id}.${def.key} has no raw text`).toBeTypeOf('string');
        if (typeof f.value === 'string' && ['text', 'longText', 'opinion'].includes(def.kind)) {
          expect(f.value, `${r.id}.${def.key}`).toBe(f.value.normalize('NFKC'));
          expect(cjkSpace.test(f.value), `${r.id}.${def.key} has spaces between Chinese characters`).toBe(
            false,
          );
        }
      }
    }
  });

  it('hold in value exactly what the domain normalises from raw', () => {
    for (const r of all) {
      for (const def of FORMS[r.form].fields) {
        const f = r.fields[def.key];
        if (f?.raw === undefined) continue;
        const parsed = normalizeField(def, f.raw);
        expect(
          parsed.ok ? parsed.value : 'unparseable',
          `${r.id}.${def.key} ${JSON.stringify(f.raw)}`,
        ).toEqual(f.value);
      }
    }
  });

  it('show raw text as people write it, not only normal forms', () => {
    const raws = all.flatMap((r) => Object.values(r.fields).map((f) => f.raw ?? ''));
    for (const pattern of [
      /^\d{4}\.\d{1,2}$/,
      /年\d{1,2}月$/,
      /^\d{3} \d{4} \d{4}$/,
      /^（0798）/,
      /亿/,
      /^[一二三四五六七八九十]人$/,
    ]) {
      expect(
        raws.some((raw) => pattern.test(raw)),
        String(pattern),
      ).toBe(true);
    }
  });

  it('have an opinion date and opinion text wherever a cell is stamped', () => {
    for (const r of all) {
      for (const group of ['recommendation', 'approval']) {
        if (r.fields[`${group}.stamped`]?.value !== true) continue;
        expect(str(r, `${group}.date`), `${r.id} ${group}.date`).not.toBeNull();
        expect(str(r, `${group}.opinion`), `${r.id} ${group}.opinion`).not.toBeNull();
      }
    }
  });
});

describe('expected issues (samples/expected-issues.json)', () => {
  const RULE_CODES = [
    'service_under_two_years',
    'not_eligible_title_or_degree',
    'team_size_missing',
    'no_needs_filled',
  ];
  const expected = z
    .object({ note: z.string(), issues: z.record(z.string(), z.array(z.enum(RULE_CODES))) })
    .parse(readJson('expected-issues.json')).issues;

  it('name every record, and agree with the issues inside the records', () => {
    expect(Object.keys(expected).sort()).toEqual([...byId.keys()].sort());
    for (const r of all)
      expect(r.issues.map((i) => i.code).sort(), r.id).toEqual([...(expected[r.id] ?? [])].sort());
  });

  it('are what the check stage (validateRecord) finds for these rules', () => {
    for (const r of all) {
      const found = validateRecord(r)
        .map((i) => i.code)
        .filter((c) => RULE_CODES.includes(c));
      expect(found.sort(), r.id).toEqual([...(expected[r.id] ?? [])].sort());
    }
  });

  it('cover each rule at least once', () => {
    const used = new Set(Object.values(expected).flat());
    for (const code of RULE_CODES) expect(used.has(code), code).toBe(true);
  });

  // Recomputing the rules here keeps the ground truth honest when someone edits a record.
  const monthsBetween = (from: string, to: string) => {
    const [fy, fm] = from.split('-').map(Number) as [number, number];
    const [ty, tm] = to.split('-').map(Number) as [number, number];
    return (ty - fy) * 12 + (tm - fm);
  };
  const JUNIOR_TITLES = ['助教', '助理工程师', '助理研究员', '技术员', '助理实验师'];
  const GRADUATE = /研究生|硕士|博士/;

  it.each(records.registration.map((r) => [r.id, r] as const))(
    '%s: registration rules match the ground truth',
    (id, r) => {
      const codes = expected[id] ?? [];
      const workStart = str(r, 'workStart') as string;
      const filled = str(r, 'fillingDate') as string;
      expect(codes.includes('service_under_two_years')).toBe(
        monthsBetween(workStart, filled.slice(0, 7)) < 24,
      );
      const junior = JUNIOR_TITLES.includes(str(r, 'professionalTitle') ?? '');
      expect(codes.includes('not_eligible_title_or_degree')).toBe(
        junior && !GRADUATE.test(str(r, 'education') ?? ''),
      );
      expect(codes.includes('team_size_missing')).toBe(
        str(r, 'teamName') !== null && r.fields.teamSize?.value === null,
      );
    },
  );

  it.each(records.demand.map((r) => [r.id, r] as const))(
    '%s: the needs rule matches the ground truth',
    (id, r) => {
      const none = NEEDS_KEYS.every((k) => r.fields[k]?.value === null);
      expect((expected[id] ?? []).includes('no_needs_filled')).toBe(none);
    },
  );
});

describe('intended matches (samples/intended-matches.json)', () => {
  const matches = z
    .object({
      note: z.string(),
      matches: z.array(z.object({ demand: z.string(), registration: z.string(), because: z.string() })),
    })
    .parse(readJson('intended-matches.json')).matches;

  const demandText = (r: SubmissionRecord) =>
    [...NEEDS_KEYS, 'techStatus', 'mainProducts'].map((k) => str(r, k) ?? '').join('\n');
  const professionalText = (r: SubmissionRecord) =>
    ['expertise', 'plannedWork'].map((k) => str(r, k) ?? '').join('\n');
  const bigrams = (s: string) => {
    const out = new Set<string>();
    for (const run of s.split(/[^\u4e00-\u9fff]+/))
      for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
    return out;
  };
  const overlap = (a: string, b: string) => {
    const bg = bigrams(b);
    return [...bigrams(a)].filter((g) => bg.has(g)).length;
  };
  const longestCommon = (a: string, b: string) => {
    let best = 0;
    let prev = new Array<number>(b.length + 1).fill(0);
    for (let i = 1; i <= a.length; i++) {
      const cur = new Array<number>(b.length + 1).fill(0);
      for (let j = 1; j <= b.length; j++) {
        if (a[i - 1] === b[j - 1]) {
          cur[j] = (prev[j - 1] as number) + 1;
          best = Math.max(best, cur[j] as number);
        }
      }
      prev = cur;
    }
    return best;
  };

  it('name exactly one existing registration for every demand', () => {
    expect(matches.map((m) => m.demand).sort()).toEqual(records.demand.map((r) => r.id).sort());
    for (const m of matches) expect(byId.get(m.registration)?.form, m.registration).toBe('registration');
  });

  it.each(matches.map((m) => [m.demand, m.registration] as const))(
    '%s → %s: shares the most domain words with its match, without copied sentences',
    (demandId, registrationId) => {
      const demand = demandText(byId.get(demandId) as SubmissionRecord);
      const scores = records.registration.map((r) => ({ id: r.id, n: overlap(demand, professionalText(r)) }));
      scores.sort((a, b) => b.n - a.n);
      expect(scores[0]?.id).toBe(registrationId);
      expect(
        longestCommon(demand, professionalText(byId.get(registrationId) as SubmissionRecord)),
      ).toBeLessThan(12);
    },
  );
});

// config/scoring.yaml: the criteria of the notice with their weights (points) and score bands, the
// selection preferences, how scores are combined, and the funding tiers. Checked at load time so a
// mistake in the file is named with its path, never discovered as a wrong ranking.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { yamlData } from '../config-file.js';
import { RunError } from '../errors.js';
import { FUNDING_MAX, FUNDING_MIN } from '../projects/types.js';

export const DEFAULT_SCORING_CONFIG = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../config/scoring.yaml',
);

const text = z.string().trim().min(1, 'must not be empty');

const BandSchema = z.strictObject({
  min: z.number().min(0),
  max: z.number().min(0),
  label: text,
  description: text,
});

const CriterionSchema = z.strictObject({
  key: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase key like technicalLevel'),
  name: text,
  points: z.number().positive(),
  bands: z.array(BandSchema).min(1, 'needs at least one band'),
});

const TierSchema = z.strictObject({
  minScore: z.number().min(0),
  amount: z
    .number()
    .min(FUNDING_MIN, `must be at least ${FUNDING_MIN} 万元 (notice: 3-20 万元)`)
    .max(FUNDING_MAX, `must be at most ${FUNDING_MAX} 万元 (notice: 3-20 万元)`),
});

export const ScoringConfigSchema = z
  .strictObject({
    total: z.number().positive(),
    step: z.union([z.literal(1), z.literal(0.5)], { error: 'must be 1 (whole points) or 0.5' }).default(1),
    criteria: z.array(CriterionSchema).min(1).max(12),
    preferences: z.array(text).default([]),
    aggregation: z
      .strictObject({
        dropExtremesFrom: z.number().int().min(3, 'must be at least 3 (or null)').nullable().default(5),
        disagreementSpread: z.number().positive().nullable().default(15),
        minExperts: z.number().int().min(1).default(3),
        decimals: z.number().int().min(0).max(4).default(2),
      })
      .prefault({}),
    funding: z
      .strictObject({
        tiers: z.array(TierSchema).min(1),
        budget: z.number().positive().nullable().default(null),
      })
      .superRefine((f, ctx) => {
        for (let i = 1; i < f.tiers.length; i++) {
          const [prev, cur] = [f.tiers[i - 1], f.tiers[i]] as [
            z.infer<typeof TierSchema>,
            z.infer<typeof TierSchema>,
          ];
          if (cur.minScore >= prev.minScore) {
            ctx.addIssue({
              code: 'custom',
              path: ['tiers', i, 'minScore'],
              message: `tiers go from the highest score down: ${cur.minScore} is not below ${prev.minScore}`,
            });
          }
          if (cur.amount > prev.amount) {
            ctx.addIssue({
              code: 'custom',
              path: ['tiers', i, 'amount'],
              message: `a lower tier cannot give more (${cur.amount} > ${prev.amount} 万元)`,
            });
          }
        }
      }),
  })
  .superRefine((c, ctx) => {
    const sum = c.criteria.reduce((s, cr) => s + cr.points, 0);
    if (Math.abs(sum - c.total) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['criteria'],
        message: `the criteria's points add up to ${sum}, not total ${c.total}`,
      });
    }
    const keys = new Set<string>();
    for (const [i, cr] of c.criteria.entries()) {
      if (keys.has(cr.key)) {
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'key'], message: `duplicate key ${cr.key}` });
      }
      keys.add(cr.key);
      checkBands(cr, c.step, (j, field, message) =>
        ctx.addIssue({ code: 'custom', path: ['criteria', i, 'bands', j, field], message }),
      );
    }
    for (const [i, tier] of c.funding.tiers.entries()) {
      if (tier.minScore > c.total) {
        ctx.addIssue({
          code: 'custom',
          path: ['funding', 'tiers', i, 'minScore'],
          message: `${tier.minScore} is above the total ${c.total}: no project can reach it`,
        });
      }
    }
  });

export type ScoringConfig = z.infer<typeof ScoringConfigSchema>;
export type Criterion = ScoringConfig['criteria'][number];
export type Band = Criterion['bands'][number];

/**
 * Bands run from the criterion's maximum down to 0 with neither gaps nor overlaps: the first band's
 * max is the criterion's points, each band's min is one step above the next band's max, the last
 * band's min is 0. So every possible score falls in exactly one band.
 */
function checkBands(
  cr: z.infer<typeof CriterionSchema>,
  step: number,
  report: (index: number, field: 'min' | 'max', message: string) => void,
): void {
  const bands = cr.bands;
  for (const [j, b] of bands.entries()) {
    if (b.min > b.max) report(j, 'min', `min ${b.min} is above max ${b.max}`);
    if (!onStep(b.min, step) || !onStep(b.max, step)) report(j, 'min', `bounds must be multiples of ${step}`);
  }
  const first = bands[0];
  if (first && first.max !== cr.points) {
    report(
      0,
      'max',
      `the first band must reach the criterion's ${cr.points} points (bands go from the top down)`,
    );
  }
  const last = bands[bands.length - 1];
  if (last && last.min !== 0) report(bands.length - 1, 'min', 'the last band must start at 0');
  for (let j = 1; j < bands.length; j++) {
    const [above, below] = [bands[j - 1], bands[j]] as [Band, Band];
    if (below.max + step !== above.min) {
      report(
        j,
        'max',
        `must be ${above.min - step} (one step below the band above, which starts at ${above.min}): bands may not overlap or leave gaps`,
      );
    }
  }
}

const onStep = (v: number, step: number) => Math.abs(v / step - Math.round(v / step)) < 1e-9;

/** The band a score falls in, or undefined for a score outside 0…points. */
export function bandOf(criterion: Criterion, score: number): Band | undefined {
  return criterion.bands.find((b) => score >= b.min && score <= b.max);
}

export function parseScoringConfig(source: string, file: string): ScoringConfig {
  const { data, problems } = yamlData(source);
  if (problems.length > 0) throw badConfig(file, problems);
  const parsed = ScoringConfigSchema.safeParse(data);
  if (!parsed.success) {
    throw badConfig(
      file,
      parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  return parsed.data;
}

export async function loadScoringConfig(file: string = DEFAULT_SCORING_CONFIG): Promise<ScoringConfig> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new RunError(
      'inputNotFound',
      `Cannot read the scoring configuration ${file}. 无法读取评分配置文件。`,
      'Check the path given to --config, or restore config/scoring.yaml from the repository.',
      { cause: err },
    );
  }
  return parseScoringConfig(source, file);
}

function badConfig(file: string, problems: string[]): RunError {
  return new RunError(
    'badDataFile',
    `评分配置 ${file} 有 ${problems.length} 处错误 / scoring configuration ${file} has ${problems.length} problem(s):\n` +
      problems.map((p) => `  - ${p}`).join('\n'),
    'Fix the entries listed above; the comments in config/scoring.yaml explain each key.',
  );
}

/** `criteria[2].bands[1].min` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i > 0 ? '.' : ''}${String(k)}`)).join('');
}

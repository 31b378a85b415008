// Reading a YAML file the bureau edits: read, parse, check with its zod schema. Each problem is
// named by its key path, so the message says where in the file to look; the caller words the
// error (which file, what to do) through `badFile`.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { RunError } from './errors.js';

export type BadFile = (file: string, problem: string, cause?: unknown) => RunError;

export function readYamlFile<S extends z.ZodType>(file: string, schema: S, badFile: BadFile): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw badFile(file, `cannot read it (${(err as Error).message})`, err);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw badFile(file, `not valid YAML: ${(err as Error).message}`, err);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = i.path.length > 0 ? i.path.join('.') : '(top level)';
      const extra = i.code === 'unrecognized_keys' ? ` ${i.keys.join(', ')}` : '';
      return `${key}: ${i.message}${extra}`;
    });
    throw badFile(file, problems.join('; '));
  }
  return parsed.data;
}

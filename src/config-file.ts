// Reading a YAML file the bureau edits: read, parse, check with its zod schema. Each problem is
// named by its key path, so the message says where in the file to look; the caller words the
// error (which file, what to do) through `badFile`.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
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
  const { data: raw, problems: syntax } = yamlData(text);
  if (syntax.length > 0) throw badFile(file, `not valid YAML: ${syntax.join('; ')}`);
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

/**
 * Aliases expanded per file: a real configuration repeats a block a few times; a "billion laughs"
 * file repeats them exponentially and would run out of memory.
 */
export const MAX_YAML_ALIASES = 100;

/**
 * YAML text to plain data, every problem as a line (syntax errors, alias expansion over the limit)
 * instead of an exception: callers word them for their file.
 */
export function yamlData(source: string): { data: unknown; problems: string[] } {
  const doc = parseDocument(source, { prettyErrors: true });
  const problems = doc.errors.map((e) => e.message.split('\n')[0] ?? e.message);
  if (problems.length > 0) return { data: undefined, problems };
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }), problems };
  } catch (err) {
    const message = (err as Error).message;
    return {
      data: undefined,
      problems: [
        /alias/i.test(message)
          ? `别名（&/*）展开过多，超过 ${MAX_YAML_ALIASES} 次上限（疑似“别名炸弹”）/ aliases expand too often (over ${MAX_YAML_ALIASES}): ${message}`
          : message,
      ],
    };
  }
}

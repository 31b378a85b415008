// The shape of src/: the stages never import the application layer, the CLI or the web; no file
// is over ~400 lines without saying why in its opening comment; product code names no file
// outside the repository.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMS } from '../src/forms/index.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const SRC = files('src');
const TOP = new Set(['app', 'cli', 'web']);
const layer = (path: string) => path.split('/')[1] ?? '';

describe('src/', () => {
  it('has no stage importing app/, cli/ or web/', () => {
    const bad = SRC.filter((f) => !TOP.has(layer(f))).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from '\.\.\/(app|cli|web)\//g)].map(() => f),
    );
    expect(bad).toEqual([]);
  });

  it('has no app/ importing cli/ or web/', () => {
    const bad = SRC.filter((f) => layer(f) === 'app').filter((f) =>
      /from '\.\.\/(cli|web)\//.test(readFileSync(f, 'utf8')),
    );
    expect(bad).toEqual([]);
  });

  it('says why in the opening comment of every file over 420 lines', () => {
    const bad = SRC.filter((f) => {
      const lines = readFileSync(f, 'utf8').split('\n');
      if (lines.length <= 420) return false;
      const opening = lines
        .slice(
          0,
          lines.findIndex((l) => !l.startsWith('//')),
        )
        .join('\n');
      return !/Over 400 lines because/.test(opening);
    });
    expect(bad).toEqual([]);
  });

  it('points messages at files in the repository, not elsewhere', () => {
    // Absolute paths of one machine, or a path climbing out of the checkout (the placeholder of the
    // import form's path box is an example for the clerk, not a file xietong reads).
    const bad = SRC.filter((f) =>
      /['"`(\s]\/work\/|['"`(\s]\.\.\/\.\.\/\.\.\//.test(readFileSync(f, 'utf8')),
    );
    expect(bad).toEqual([]);
  });
});

describe('docs/record-format.md', () => {
  it('lists every field of every form (npx tsx scripts/make-record-format.ts writes it)', () => {
    const page = readFileSync('docs/record-format.md', 'utf8');
    const missing = Object.values(FORMS).flatMap((f) =>
      f.fields
        .filter((d) => !page.includes(`| \`${d.key}\` | ${d.label} |`))
        .map((d) => `${f.kind}.${d.key}`),
    );
    expect(missing).toEqual([]);
  });
});

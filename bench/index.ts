// `npm run bench`: every benchmark in turn, each in its own process so one's memory peak does not
// colour the next. Numbers, not pass/fail: quote them in notes, compare them over time.
import { spawnSync } from 'node:child_process';

const benches = [
  ['bench:ocr', 'bench/ocr.ts'],
  ['bench:render', 'bench/render.ts'],
] as const;

let failed = 0;
for (const [name, file] of benches) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;

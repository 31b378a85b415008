#!/usr/bin/env node
// Entry point for `npx xietong`: runs the TypeScript sources directly through tsx, so a checkout
// needs no build step and what runs is always what is in src/.
import { register } from 'tsx/esm/api';

register();
// Fewer malloc arenas: a batch of scans otherwise holds hundreds of megabytes it no longer uses.
const { rerunWithFewerArenas } = await import('../src/cli/malloc-arenas.ts');
const rerun = rerunWithFewerArenas();
if (rerun !== undefined) process.exit(rerun);
// A reader that stops early (xietong --help | head, a pager quit) closes the pipe: that is the end
// of the output, not an error to crash on.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);

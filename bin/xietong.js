#!/usr/bin/env node
// Entry point for `npx xietong`: runs the TypeScript sources directly through tsx, so a checkout
// needs no build step and what runs is always what is in src/.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);

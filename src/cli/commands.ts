// One line per command: each command file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerDemo } from './demo.js';
import { register as registerForms } from './forms.js';
import { register as registerIngest } from './ingest.js';
import { register as registerMatch } from './match.js';
import { register as registerRender } from './render.js';

export function registerCommands(program: Command): void {
  registerDemo(program);
  registerRender(program);
  registerForms(program);
  registerIngest(program);
  registerMatch(program);
}

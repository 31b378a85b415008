// One line per command: each command file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerBackup } from './backup.js';
import { register as registerCheck } from './check.js';
import { register as registerDemo } from './demo.js';
import { register as registerExport } from './export.js';
import { register as registerForms } from './forms.js';
import { register as registerIngest } from './ingest.js';
import { register as registerMatch } from './match.js';
import { register as registerProject } from './project.js';
import { register as registerRender } from './render.js';
import { register as registerReview } from './review.js';
import { register as registerScores } from './scores.js';
import { register as registerServe } from './serve.js';
import { register as registerStore } from './store.js';
import { register as registerUser } from './user.js';

export function registerCommands(program: Command): void {
  // First in --help: the workbench is where a clerk starts.
  registerServe(program);
  registerDemo(program);
  registerRender(program);
  registerForms(program);
  registerIngest(program);
  registerCheck(program);
  registerExport(program);
  registerStore(program);
  registerReview(program);
  registerMatch(program);
  registerProject(program);
  registerScores(program);
  registerUser(program);
  registerBackup(program);
}

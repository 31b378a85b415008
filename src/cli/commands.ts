// One line per command: each command file exports `register(program)`.
import type { Command } from 'commander';

export function registerCommands(program: Command): void {
  void program;
}

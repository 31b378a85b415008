// A reader that stops early (`xietong --help | head`, a pager quit) closes the pipe under the CLI:
// the output ends there, quietly, with the command's own exit status.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/xietong.js');

it('ends quietly when the reader has closed the pipe', async () => {
  const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  // Hang up before the command writes, as head has once it has its lines.
  child.stdout.destroy();
  const code = await new Promise<number | null>((done) => child.on('close', done));
  expect(stderr).not.toMatch(/EPIPE|Unhandled 'error'/);
  expect(code).toBe(0);
}, 60_000);

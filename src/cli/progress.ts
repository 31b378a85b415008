// Progress for long batches: a one-line bar with pages, pages/s and ETA on a terminal; plain,
// timestamped lines otherwise (CI logs, redirected output), at most one every few seconds.
import { escapeControl, writeRaw } from '../terminal.js';

export interface Progress {
  update(done: number, total: number | undefined, note?: string): void;
  done(message: string): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let lastPlain = 0;
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  const rate = (done: number) => done / Math.max(0.001, (Date.now() - started) / 1000);
  return {
    update(done, total, note) {
      const r = rate(done);
      const eta = total && r > 0 ? Math.max(0, (total - done) / r) : undefined;
      const stats = `${done}${total ? `/${total}` : ''} 页 pages · ${r.toFixed(2)} 页/秒 pages/s${eta !== undefined ? ` · 剩余 ETA ${formatSeconds(eta)}` : ''}`;
      if (tty) {
        const width = 24;
        const filled = total ? Math.round((done / total) * width) : 0;
        const bar = total ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ` : '';
        const tail = note ? ` · ${note}` : '';
        const line = `${label} ${bar}${stats}${tail}`;
        writeRaw(stream, `\r${escapeControl(line.slice(0, (stream.columns ?? 120) - 1))}\x1b[K`);
      } else if (Date.now() - lastPlain > 5000 || (total !== undefined && done === total)) {
        lastPlain = Date.now();
        stream.write(
          `[${new Date().toISOString().slice(11, 19)}] ${label} ${stats}${note ? ` ${note}` : ''}\n`,
        );
      }
    },
    done(message) {
      if (tty) writeRaw(stream, '\r\x1b[K');
      stream.write(`${message}\n`);
    },
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

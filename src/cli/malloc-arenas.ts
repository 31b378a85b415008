// glibc gives each thread that allocates its own malloc arena, and frees inside an arena seldom go
// back to the system. A batch of scans allocates from many threads at once (two tesseract workers,
// the layout thread, onnxruntime, libvips), each arena keeps its high-water mark, and the process
// grows by hundreds of megabytes that hold nothing: over dev-1's phone photos and office scans,
// peak RSS 1,294 MB with the default arenas and 1,023 MB with two, in the same time (58 and 59 s).
// The limit is read once, when the process starts, so it is set by starting the process again.
import { spawnSync } from 'node:child_process';

/** Arenas the process is limited to. */
export const MALLOC_ARENAS = '2';

/**
 * On Linux, when MALLOC_ARENA_MAX is not set, runs this same command again in a child process with
 * it set, and returns the child's exit code; otherwise (set already, or not glibc's concern)
 * returns undefined and the caller goes on in this process. A user who sets MALLOC_ARENA_MAX
 * themselves keeps their value.
 */
export function rerunWithFewerArenas(): number | undefined {
  if (process.platform !== 'linux' || process.env.MALLOC_ARENA_MAX !== undefined) return undefined;
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: MALLOC_ARENAS },
  });
  if (child.error) return undefined;
  // Killed by a signal (Ctrl+C reaches both processes): end the same way.
  if (child.signal) {
    process.kill(process.pid, child.signal);
    return 128;
  }
  return child.status ?? 1;
}

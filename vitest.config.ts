import { defineConfig } from 'vitest/config';

// The default suite: fast, deterministic, no OCR engine (recorded OCR output stands in).
// Tests that need LibreOffice still run here: it is installed by scripts/setup-system.sh.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/real/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

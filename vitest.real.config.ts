import { defineConfig } from 'vitest/config';

// The real-engine suite: runs tesseract.js on real scans. Slower; run with `npm run test:real`.
export default defineConfig({
  test: {
    include: ['test/real/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});

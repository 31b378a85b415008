// Suites that need a system tool (LibreOffice, Chromium) skip on a developer's machine without it,
// but never under CI: there a missing tool must fail the suite, not hide it.
export const IN_CI = !!process.env.CI && process.env.CI !== '0' && process.env.CI !== 'false';

/** For `describe.skipIf(...)`: skip only outside CI when `available` is false. */
export const skipWithout = (available: boolean): boolean => !available && !IN_CI;

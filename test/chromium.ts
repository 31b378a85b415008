// Debian's chromium driven by playwright-core, as every browser test starts it: headless, no
// sandbox (CI runs as root), nothing fetched in the background, a fresh profile each run.
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A browser with a profile of its own in `profile` (an empty folder): nothing cached from another run. */
export function launchChromium(
  profile: string,
  options: { viewport: { width: number; height: number }; acceptDownloads?: boolean },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    ...options,
  });
}

/** A browser whose contexts are separate people (office mode: a clerk and a reviewer side by side). */
export function launchChromiumBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

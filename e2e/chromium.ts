import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/**
 * Browsers cannot be downloaded on our machines, so Debian's Chromium is used where it is installed
 * (`RUNBOARD_CHROMIUM` overrides the path); elsewhere Playwright's own browser is launched.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath =
    process.env.RUNBOARD_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  if (!executablePath) return {};
  return {
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  };
}

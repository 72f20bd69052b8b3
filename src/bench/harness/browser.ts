import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunchOptions } from '../../../e2e/chromium';

/** Headless Chromium with the project's launch options (Debian's Chromium where installed). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(), headless: true });
}

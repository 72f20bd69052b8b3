import { test as base, expect } from '@playwright/test';

interface Fixtures {
  /**
   * Console errors a spec expects on purpose, e.g. Chromium's "Failed to load resource: … 400" line, which it logs
   * for every 4xx answer to fetch() when a journey makes the API refuse. Set with `test.use(...)`.
   */
  allowedConsoleErrors: RegExp[];
  pageErrors: string[];
}

/** Every journey fails on an uncaught page error or a console error it did not declare. */
export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  pageErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        if (!allowedConsoleErrors.some((allowed) => allowed.test(text)))
          errors.push(`console.error: ${text}`);
      });
      await use(errors);
      expect(errors, 'the page logged errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

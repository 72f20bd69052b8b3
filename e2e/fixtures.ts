import { test as base, expect } from '@playwright/test';
import type { RunningServer } from '../src/server/start-server';
import type * as OwnServersModule from './helpers/own-servers';
import type { ModelRunboard } from './helpers/own-servers';
import { baseURL } from './playwright.config';

interface Fixtures {
  /**
   * Console errors a spec expects on purpose, e.g. Chromium's "Failed to load resource: … 400" line, which it logs
   * for every 4xx answer to fetch() when a journey makes the API refuse. Set with `test.use(...)`.
   */
  allowedConsoleErrors: RegExp[];
  pageErrors: string[];
}

/**
 * Servers besides the journeys' shared one, started once per worker when a journey first asks for them (the
 * dashboard they serve is the one the shared server's start built).
 */
interface WorkerFixtures {
  /** A Runboard of its own (emulator, in memory, no seed): for a journey that moves the emulator clock. */
  ownRunboard: RunningServer;
  /** A Runboard whose runs a scripted model executes, and that model. */
  modelRunboard: ModelRunboard;
  /** A Runboard in proxy mode in front of the shared server, with its own key. */
  proxyRunboard: RunningServer;
  /** A Runboard that requires the access token TOKEN_RUNBOARD_TOKEN (RUNBOARD_TOKEN). */
  tokenRunboard: RunningServer;
}

/** The access token of the `tokenRunboard` fixture. */
export const TOKEN_RUNBOARD_TOKEN = 'journey-access-token-0123456789abcdef';

/** The shared server the config starts. */
export const sharedServerUrl = baseURL;

type OwnServers = typeof OwnServersModule;

/**
 * A worker fixture for a server of its own, closed when the worker ends. The server's module is imported when a
 * journey first asks for one: the journeys that need none do not load the server. A fixture's first parameter must
 * be a destructuring pattern (Playwright reads the fixtures it needs from it), empty here.
 */
function ownServer<T extends { close(): Promise<void> }>(
  start: (servers: OwnServers) => Promise<T>,
): [(args: object, use: (server: T) => Promise<void>) => Promise<void>, { scope: 'worker' }] {
  return [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use: (server: T) => Promise<void>) => {
      const server = await start(await import('./helpers/own-servers'));
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ];
}

/** Every journey fails on an uncaught page error or a console error it did not declare. */
export const test = base.extend<Fixtures, WorkerFixtures>({
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
  ownRunboard: ownServer((servers) => servers.startOwnRunboard()),
  modelRunboard: ownServer((servers) => servers.startModelRunboard()),
  proxyRunboard: ownServer((servers) =>
    servers.startOwnRunboard({
      OPENAI_BASE_URL: `${sharedServerUrl}/v1`,
      OPENAI_API_KEY: 'sk-proxy-journey',
    }),
  ),
  tokenRunboard: ownServer((servers) => servers.startOwnRunboard({ RUNBOARD_TOKEN: TOKEN_RUNBOARD_TOKEN })),
});

/** The line Chromium logs for each answer of that status to a fetch(): for `allowedConsoleErrors`. */
export const failedToLoad = (status: number): RegExp =>
  new RegExp(`^Failed to load resource: the server responded with a status of ${status} `);

export { expect };

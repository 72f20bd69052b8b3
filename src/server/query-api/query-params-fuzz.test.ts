import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunsPage, ThreadSummariesPage } from '../../shared/runs-query-types';
import { mulberry32 } from '../../assistants-server/emulation/faults/fault-random';
import { RUNS_QUERY_PARAMS, THREADS_QUERY_PARAMS } from './runs-query-params';
import { startInMemoryServer, TEST_HEADERS, type InMemoryServer } from '../test-support/in-memory-server';

/**
 * Random and hostile values for every parameter of the /api read routes, against the real server over a bulk seed:
 * every answer is a 200 or a 400 in OpenAI's error shape that quotes little of the input; never a 500, never a log
 * line of a failed request. The seed is printed with any failure (FUZZ_SEED=<n> replays it).
 */

const ROUTES: { path: string; params: readonly string[] }[] = [
  { path: '/api/runs', params: RUNS_QUERY_PARAMS },
  { path: '/api/runs/counts', params: RUNS_QUERY_PARAMS },
  { path: '/api/runs/usage', params: RUNS_QUERY_PARAMS },
  { path: '/api/threads', params: THREADS_QUERY_PARAMS },
  { path: '/api/audit', params: ['run_id', 'thread_id', 'limit'] },
];
const REQUESTS_PER_ROUTE = 400;
const seed = Number(process.env.FUZZ_SEED ?? 20_20);

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Raw query values, percent-encoded as a URL carries them (some deliberately malformed). */
const HOSTILE = [
  '%00',
  'a%00b',
  'run%00',
  '%01',
  '%1B%5B31m',
  '%7F',
  '%C0%80',
  '%FF%FE',
  '%ED%A0%80',
  '%E2%80%AE',
  '%E2%80%A8',
  '%F0%9F%98%80',
  '%',
  '%zz',
  '%25',
  '%22',
  '%22%22',
  "'",
  "'%20OR%201=1--",
  '*',
  'NEAR(a%20b)',
  '%5Ea',
  'a%20AND%20b',
  'OR',
  'NOT',
  '-',
  '%2B',
  '%5C',
  '%5B',
  '%7B%7D',
  'a%0Ab',
  'a%09b',
  '%20',
  '',
  '0x10',
  '1e2',
  '%205',
  '5%20',
  '5.0',
  '-1',
  '0',
  '00000000000000000001',
  '9007199254740993',
  '1'.repeat(400),
  'x'.repeat(600),
  'y'.repeat(5_000),
  Array(200).fill('same').join('%20'),
  Array(17)
    .fill(0)
    .map((_, i) => `w${i}`)
    .join('%20'),
  Array(16)
    .fill(0)
    .map((_, i) => `w${i}`)
    .join('%20'),
  Array(128)
    .fill(0)
    .map((_, i) => `word${i}`)
    .join('%20'),
  'Support%20support%20SUPPORT',
  'run_abc',
  'thread_abc',
  'asst_abc',
  'queued,done',
  'completed,completed,failed',
  'created.desc',
  'tokens.asc',
  'id.sideways',
  'eyJ9',
  cursor(['id', 1, '\u0000', 1]),
  cursor(['created', 1, 1e308, 1]),
  cursor(['tokens', 0, -1e308, Number.MAX_SAFE_INTEGER + 2]),
  cursor(['status', 1, 'text', 1]),
  cursor(['bogus', 1, 'x', 1]),
  cursor(['metadata', 0, 'x'.repeat(10_000), 1e300]),
  cursor([1e308, 'thread_\u0000']),
  cursor([-1, '']),
  cursor(null),
];

function randomText(next: () => number): string {
  const length = Math.floor(next() * 40);
  let text = '';
  for (let i = 0; i < length; i++) {
    const pick = next();
    // Mostly printable ASCII, some control characters, some from anywhere in Unicode.
    const code =
      pick < 0.7
        ? 0x20 + Math.floor(next() * 95)
        : pick < 0.85
          ? Math.floor(next() * 0x20)
          : Math.floor(next() * 0xd7ff);
    text += String.fromCharCode(code);
  }
  return encodeURIComponent(text);
}

/** Values each parameter takes from a polite client; filled from the seeded data before the fuzz. */
const VALID: Record<string, string[]> = {
  thread_id: [],
  status: ['completed', 'failed,expired', 'queued'],
  assistant_id: [],
  model: ['gpt-4o', 'gpt-4o-mini'],
  created_after: ['0', '1700000000'],
  created_before: ['99999999999', '2000000000'],
  metadata_key: ['team', 'runboard_scenario'],
  metadata_value: ['blue'],
  q: ['run', 'completed failed', 'thread', 'a b c d'],
  sort: ['created.desc', 'tokens.asc', 'metadata.desc', 'status.asc', 'id.asc'],
  limit: ['1', '10', '500'],
  after: [],
  run_id: [],
};

let server: InMemoryServer;
const realCursors: string[] = [];

async function getJson<T>(path: string): Promise<T> {
  const response = await server.app.request(path, { headers: TEST_HEADERS });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  server = await startInMemoryServer();
  const seeded = await server.app.request('/api/emulator/seed', {
    method: 'POST',
    headers: { ...TEST_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ count: 300, thread_count: 12 }),
  });
  expect(seeded.status).toBe(200);
  for (const sort of ['created.desc', 'tokens.asc', 'metadata.desc', 'status.asc']) {
    const page = await getJson<RunsPage>(`/api/runs?sort=${sort}&limit=7`);
    if (page.next_cursor) realCursors.push(page.next_cursor);
  }
  const threads = await getJson<ThreadSummariesPage>('/api/threads?limit=3');
  if (threads.next_cursor) realCursors.push(threads.next_cursor);
  const runs = await getJson<RunsPage>('/api/runs?limit=20');
  VALID.thread_id = [...new Set(runs.data.map((run) => run.thread_id))];
  VALID.assistant_id = [...new Set(runs.data.map((run) => run.assistant_id))];
  VALID.after = realCursors;
  VALID.run_id = runs.data.map((run) => run.id);
});
afterAll(() => server.close());

describe('the /api query parameters under fuzz', () => {
  it.each(ROUTES)(
    '$path answers 200 or a short 400 in OpenAI’s error shape, never a 500',
    async ({ path, params }) => {
      const next = mulberry32(seed + path.length);
      const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
      const failures: string[] = [];
      const check = async (pairs: string[]) => {
        const url = `${path}?${pairs.join('&')}`;
        const response = await server.app.request(url, { headers: TEST_HEADERS });
        const text = await response.text();
        if (response.status === 200 ? !isJson(text) : response.status !== 400 || !isOpenAiRefusal(text)) {
          failures.push(`${url.slice(0, 300)} → ${response.status} ${text.slice(0, 200)}`);
        }
      };
      // Every hostile value alone in every parameter, then random mixes.
      for (const name of params) for (const value of HOSTILE) await check([`${name}=${value}`]);
      for (let request = 0; request < REQUESTS_PER_ROUTE; request++) {
        const count = 1 + Math.floor(next() * 4);
        const pairs: string[] = [];
        for (let i = 0; i < count; i++) {
          const name = next() < 0.03 ? pick(['bogus', '%00', 'q%00', '']) : pick(params);
          // Mostly one hostile value among polite ones, so it reaches past the other parameters' checks.
          const roll = next();
          const polite = VALID[name] ?? [];
          const value =
            i > 0 && roll < 0.6 && polite.length > 0
              ? pick(polite)
              : roll < 0.8
                ? pick(HOSTILE)
                : randomText(next);
          pairs.push(`${name}=${value}`);
        }
        await check(pairs);
      }
      expect(failures, `FUZZ_SEED=${seed}`).toEqual([]);
      expect(server.logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    },
  );
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** OpenAI's error shape, with a message that quotes no more than a short piece of the input. */
function isOpenAiRefusal(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.message === 'string' &&
    error.message.length <= 400 &&
    error.type === 'invalid_request_error' &&
    (typeof error.param === 'string' || error.param === null) &&
    (typeof error.code === 'string' || error.code === null)
  );
}

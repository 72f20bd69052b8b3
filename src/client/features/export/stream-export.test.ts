import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunsPage } from '../../../shared/runs-query-types';
import { makeRun } from '../../../shared/test-support/run-fixture';
import { runsToCsv, runsToJson } from './runs-export';
import { exportRuns } from './stream-export';

const COMPLETE = { complete: true, threads: 1, loading_threads: 0, refreshed_at: null };
const runs = Array.from({ length: 1_203 }, (_, index) =>
  makeRun({ id: `run_${index}`, created_at: 5_000 - index, status: 'completed', completed_at: 5_010 }),
);

afterEach(() => vi.unstubAllGlobals());

function serveAll(coverage = COMPLETE) {
  const asked: URLSearchParams[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const params = new URL(url, 'http://runboard.test').searchParams;
      asked.push(params);
      const start = Number(params.get('after') ?? 0);
      const limit = Number(params.get('limit'));
      const data = runs.slice(start, start + limit);
      const more = start + limit < runs.length;
      const page: RunsPage = {
        object: 'list',
        data,
        next_cursor: more ? String(start + limit) : null,
        has_more: more,
        total: runs.length,
        coverage,
      };
      return new Response(JSON.stringify(page));
    }),
  );
  return asked;
}

describe('export of every run of a view', () => {
  it('reads the query page by page, reports progress, and writes every row of the total', async () => {
    const asked = serveAll();
    const progress: string[] = [];
    const result = await exportRuns(
      { threadId: 'thread_a', statuses: ['completed'], sort: { field: 'tokens', desc: true } },
      {
        format: 'csv',
        columnVisibility: { thread: false },
        assistantName: () => null,
        onProgress: ({ written, total }) => progress.push(`${written}/${total}`),
      },
    );
    expect(progress).toEqual(['500/1203', '1000/1203', '1203/1203']);
    expect(asked.map((params) => params.get('sort'))).toEqual(['tokens.desc', 'tokens.desc', 'tokens.desc']);
    expect(
      asked.every((params) => params.get('thread_id') === 'thread_a' && params.get('status') === 'completed'),
    ).toBe(true);
    expect(result).toMatchObject({ written: 1_203, total: 1_203, complete: true });
    expect(result.parts.join('')).toBe(runsToCsv(runs, { thread: false }, () => null));
  });

  it('writes JSON identical to the whole array, and says when the answer was partial', async () => {
    serveAll({ ...COMPLETE, complete: false, loading_threads: 1, threads: 2 });
    const result = await exportRuns(
      {},
      { format: 'json', columnVisibility: {}, assistantName: () => null, onProgress: () => {} },
    );
    expect(result.parts.join('')).toBe(runsToJson(runs));
    expect(result.complete).toBe(false);
  });
});

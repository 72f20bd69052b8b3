import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssistantsStore } from './assistants-store';
import { openSqliteStore } from './sqlite-assistants-store';
import type { PageRequest } from './cursor-page';

let store: AssistantsStore;
beforeEach(async () => {
  store = openSqliteStore(':memory:');
  // Twelve threads, four per second: ties on created_at are broken by insertion order.
  for (let index = 0; index < 12; index++) {
    const id = `thread_${String(index).padStart(2, '0')}`;
    await store.threads.insert({
      id,
      object: 'thread',
      created_at: 1000 + Math.floor(index / 4),
      tool_resources: {},
      metadata: {},
    });
  }
});
afterEach(() => store.close());

async function ids(request: PageRequest) {
  const result = await store.threads.page(request);
  if ('unknownCursor' in result) throw new Error('unknown cursor');
  return { ids: result.rows.map((row) => Number(row.id.slice(7))), hasMore: result.hasMore };
}

describe('cursor paging by seek', () => {
  it('walks every object once in both orders across created_at ties', async () => {
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.threads.page({ limit: 5, order: 'asc', after });
      if ('unknownCursor' in page) throw new Error('unknown cursor');
      seen.push(...page.rows.map((row) => Number(row.id.slice(7))));
      if (!page.hasMore) break;
      after = page.rows.at(-1)!.id;
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await ids({ limit: 3, order: 'desc', after: 'thread_06' })).toEqual({
      ids: [5, 4, 3],
      hasMore: true,
    });
  });

  it('pages backwards with before inside a tie, and combines after with before', async () => {
    expect(await ids({ limit: 2, order: 'asc', before: 'thread_06' })).toEqual({
      ids: [4, 5],
      hasMore: true,
    });
    expect(await ids({ limit: 2, order: 'desc', before: 'thread_06' })).toEqual({
      ids: [8, 7],
      hasMore: true,
    });
    expect(await ids({ limit: 10, order: 'asc', after: 'thread_02', before: 'thread_06' })).toEqual({
      ids: [3, 4, 5],
      hasMore: false,
    });
  });

  it('reports an unknown cursor', async () => {
    expect(await store.threads.page({ limit: 5, order: 'asc', after: 'thread_99' })).toEqual({
      unknownCursor: 'after',
    });
  });
});

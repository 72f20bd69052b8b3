import { describe, expect, it } from 'vitest';
import type { Run } from '../../shared/openai-types';
import { makeRun } from '../../shared/test-support/run-fixture';
import { RunIndex } from './run-index';
import { openIndexDatabase } from './run-index-schema';
import { RunsQueryEngine, type RunFilter } from './runs-query';

function engineOver(runs: Run[], names: Record<string, string> = {}) {
  const index = new RunIndex(openIndexDatabase(':memory:'));
  index.transaction(() => runs.forEach((run) => index.upsertRun(run)));
  const statements: string[] = [];
  const prepare = index.db.prepare.bind(index.db);
  index.db.prepare = ((sql: string) => {
    statements.push(sql);
    return prepare(sql);
  }) as typeof index.db.prepare;
  const engine = new RunsQueryEngine(
    index.db,
    (threadId) => index.runCount(threadId),
    () => new Map(Object.entries(names)),
  );
  const ids = (filter: RunFilter) =>
    engine
      .page({ filter, sort: { field: 'created', desc: false }, limit: 100, after: null, nowMs: 0 })
      .bodies.map((body) => (JSON.parse(body) as Run).id);
  return { engine, ids, statements };
}

const failed = (id: string, message: string, assistantId = 'asst_a') =>
  makeRun({
    id,
    assistant_id: assistantId,
    status: 'failed',
    last_error: { code: 'rate_limit_exceeded', message },
  });

describe('text search', () => {
  const words = Array.from({ length: 40 }, (_, index) => `word${index}`);
  const runs = [
    failed('run_all', words.join(' ')),
    failed('run_most', words.slice(1).join(' ')),
    // Every trigram of "quota" without the word: the trigram index alone would take it.
    failed('run_trigrams', 'quo uot ota'),
    failed('run_quota', 'you exceeded your quota'),
    failed('run_named', 'quota', 'asst_support'),
  ];

  it('asks the trigram index once, whatever the number of words, and confirms each word', () => {
    const { ids, statements } = engineOver(runs);
    expect(ids({ q: words.join(' ') })).toEqual(['run_all']);
    const matches = statements.flatMap((sql) => sql.match(/MATCH/g) ?? []);
    // One page query and its count: one full-text query each.
    expect(matches).toHaveLength(2);
    expect(ids({ q: 'quota' })).toEqual(['run_quota', 'run_named']);
  });

  it("finds a word in the run's assistant's name beside the words of its text", () => {
    const { ids } = engineOver(runs, { asst_support: 'Support Copilot' });
    expect(ids({ q: 'copilot quota' })).toEqual(['run_named']);
    expect(ids({ q: 'rate_limit co' })).toEqual(['run_named']);
  });

  it('counts what it pages', () => {
    const { engine } = engineOver(runs);
    expect(engine.counts({ q: 'quota' }).total).toBe(2);
    expect(engine.counts({ q: 'ota' }).total).toBe(3);
  });
});

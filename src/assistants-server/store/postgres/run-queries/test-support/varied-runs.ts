import { RUN_STATUSES, isActiveStatus, type Run, type Thread } from '../../../../../shared/openai-types';
import { makeRun } from '../../../../../shared/test-support/run-fixture';

const MODELS = ['gpt-4o', 'gpt-4o-mini', 'o3', 'Model_10', 'model_9'];
const ERRORS = [
  { code: 'rate_limit_exceeded', message: 'Rate limit reached: you exceeded your quota' },
  { code: 'server_error', message: 'The upstream answered 500 (100% of retries used)' },
  { code: 'invalid_prompt', message: 'Über-long prompt: ça dépasse' },
] as const;

/** Deterministic pseudo-random numbers (a fixed seed: every run of the test sees the same data). */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * `count` runs over `threadCount` threads with every status, several models (names that sort naturally: model_9
 * before Model_10), metadata, token usage (and none), errors with text to search, ties in every sort value, and ids
 * whose numbers sort naturally (run_9 before run_10).
 */
export function variedRuns(count: number, threadCount: number): { threads: Thread[]; runs: Run[] } {
  const random = numbers(21);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const threads = Array.from({ length: threadCount }, (_, index): Thread => ({
    id: `thread_${index + 1}`,
    object: 'thread',
    created_at: 1_000 + index * 10,
    metadata:
      index % 2 === 0 ? { team: index % 4 === 0 ? 'search' : 'billing' } : ({} as Record<string, string>),
    tool_resources: {},
  }));
  const runs = Array.from({ length: count }, (_, index): Run => {
    const status = pick(RUN_STATUSES);
    // Steps of 10 s: ties in creation, and runs at the start of a bucket.
    const created = 1_000 + Math.floor(random() * 200) * 10;
    const started = random() < 0.8 ? created + Math.floor(random() * 30) : null;
    const ended = !isActiveStatus(status) && started !== null ? started + Math.floor(random() * 120) : null;
    const prompt = Math.floor(random() * 50) * 10;
    const completion = Math.floor(random() * 20) * 10;
    const metadata: Record<string, string> = {};
    if (random() < 0.5) metadata.customer = pick(['acme', 'globex', 'initech_2', 'initech_10']);
    if (random() < 0.3) metadata.priority = pick(['high', 'low']);
    return makeRun({
      id: `run_${index + 1}`,
      thread_id: pick(threads).id,
      assistant_id: pick(['asst_support', 'asst_billing', 'asst_x']),
      model: pick(MODELS),
      status,
      created_at: created,
      started_at: started,
      completed_at: status === 'completed' ? ended : null,
      failed_at: status === 'failed' ? ended : null,
      cancelled_at: status === 'cancelled' ? ended : null,
      last_error: status === 'failed' ? pick(ERRORS) : null,
      incomplete_details:
        status === 'incomplete' ? { reason: pick(['max_completion_tokens', 'max_prompt_tokens']) } : null,
      usage:
        isActiveStatus(status) || random() < 0.15
          ? null
          : { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      metadata,
    });
  });
  return { threads, runs };
}

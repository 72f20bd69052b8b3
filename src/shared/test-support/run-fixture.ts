import type { Run } from '../openai-types';

/** A complete, valid Run for tests: queued at t=1000 s, expiring at t=1600 s; override what the test is about. */
export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run_a',
    object: 'thread.run',
    created_at: 1_000,
    thread_id: 'thread_a',
    assistant_id: 'asst_a',
    status: 'queued',
    required_action: null,
    last_error: null,
    expires_at: 1_600,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: 'gpt-4o',
    instructions: '',
    tools: [],
    metadata: {},
    usage: null,
    temperature: 1,
    top_p: 1,
    max_prompt_tokens: null,
    max_completion_tokens: null,
    truncation_strategy: { type: 'auto', last_messages: null },
    tool_choice: 'auto',
    parallel_tool_calls: true,
    response_format: 'auto',
    ...overrides,
  };
}

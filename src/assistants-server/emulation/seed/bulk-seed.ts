import type { Assistant, Run, RunErrorCode } from '../../../shared/openai-types';
import { notFound } from '../../api-error';
import { newId } from '../../ids';
import { buildQueuedRun } from '../../lifecycle/build-run';
import { createThread } from '../../lifecycle/create-thread';
import { FAILURE_MESSAGES } from '../scripted-runs/scenarios';
import { usageOf } from '../../lifecycle/wire-objects';
import type { AssistantsStore, StoreTables } from '../../store/assistants-store';
import type { RunRecord } from '../../store/run-record';
import { checkIdShape } from '../../validation/path-ids';
import { excerpt } from '../../../platform/request-input';

export interface BulkSeedRequest {
  count: number;
  threadId?: string;
  assistantId?: string;
  /** Spread the runs round-robin over this many new threads (not with `threadId`). Default 1. */
  threadCount?: number;
  /** Emulator time, Unix seconds: the newest seeded run is a minute older than this. */
  now: number;
}

/** Seconds between consecutive seeded runs. */
const SPACING_SECONDS = 15;
/** Each thread a seed creates. */
const SEEDED_THREAD = { messages: [], tool_resources: null, metadata: { source: 'bulk-seed' } };

const FAILURE_CODES: RunErrorCode[] = ['server_error', 'rate_limit_exceeded', 'invalid_prompt'];

/**
 * Fills a thread (or spreads over `threadCount` new ones) with `count` ended runs in mixed statuses (mostly completed, then failed, cancelled, incomplete,
 * expired), older than anything already there, in one transaction. For benchmarks and large-list tests.
 */
export async function bulkSeedRuns(
  store: AssistantsStore,
  request: BulkSeedRequest,
): Promise<{ thread_id: string; thread_ids: string[]; count: number }> {
  const assistant = await resolveAssistant(store, request.assistantId, request.now);
  return store.transaction(async (tx) => {
    const threadIds: string[] = [];
    if (request.threadId) threadIds.push(await resolveThread(tx, request.threadId));
    else {
      for (let made = 0; made < (request.threadCount ?? 1); made++) {
        threadIds.push((await createThread(tx, SEEDED_THREAD, request.now)).id);
      }
    }
    const template = buildQueuedRun(threadIds[0]!, { assistant_id: assistant.id }, assistant, 0);
    const count = await tx.runs.insertMany(seededRuns(template, threadIds, request.count, request.now - 60));
    return { thread_id: threadIds[0]!, thread_ids: threadIds, count };
  });
}

/**
 * The runs' indexes (0 the oldest; run `index` is in thread `index % threads`) in the order they are inserted:
 * thread by thread, each thread's runs oldest first. The indexes over threads (the store's and the query index's)
 * then take a thread's entries one after another instead of jumping between `threads` places at each run: a
 * fifth less CPU for a seed into a million runs. Only the insertion order (the rowid) changes: every run has the
 * same thread and time as when they were inserted oldest first.
 */
function* threadByThread(count: number, threads: number): Generator<number> {
  for (let thread = 0; thread < Math.min(threads, count); thread++) {
    for (let index = thread; index < count; index += threads) yield index;
  }
}

function* seededRuns(
  template: Run,
  threadIds: string[],
  count: number,
  newest: number,
): Generator<RunRecord> {
  for (const index of threadByThread(count, threadIds.length)) {
    const createdAt = newest - (count - 1 - index) * SPACING_SECONDS;
    const run: Run = {
      ...template,
      id: newId('run'),
      thread_id: threadIds[index % threadIds.length]!,
      created_at: createdAt,
      expires_at: null,
      started_at: createdAt + 1,
    };
    const prompt = 120 + (index % 37) * 9;
    const completion = 40 + (index % 23) * 7;
    switch (index % 10) {
      case 6: {
        const code = FAILURE_CODES[Math.floor(index / 10) % FAILURE_CODES.length]!;
        Object.assign(run, {
          status: 'failed',
          failed_at: createdAt + 2,
          last_error: { code, message: FAILURE_MESSAGES[code] },
        });
        run.usage = usageOf(prompt, 0);
        break;
      }
      case 7:
        Object.assign(run, { status: 'cancelled', cancelled_at: createdAt + 3 });
        run.usage = usageOf(prompt, 0);
        break;
      case 8:
        Object.assign(run, {
          status: 'incomplete',
          incomplete_details: { reason: index % 20 < 10 ? 'max_completion_tokens' : 'max_prompt_tokens' },
        });
        run.usage = usageOf(prompt, completion);
        break;
      case 9:
        // Expired by the time of the seed: never an expiry still ahead of the clock.
        Object.assign(run, { status: 'expired', expires_at: Math.min(createdAt + 600, newest) });
        run.usage = usageOf(prompt, 0);
        break;
      default:
        Object.assign(run, { status: 'completed', completed_at: createdAt + 2 });
        run.usage = usageOf(prompt, completion);
    }
    yield {
      run,
      internal: {
        scenario: null,
        plannedToolCalls: [],
        toolOutputs: null,
        toolCallsStepId: null,
        promptTokens: prompt,
      },
      schedule: null,
    };
  }
}

async function resolveAssistant(
  store: AssistantsStore,
  assistantId: string | undefined,
  now: number,
): Promise<Assistant> {
  if (assistantId) {
    checkIdShape('assistant_id', assistantId, 'asst');
    const assistant = await store.assistants.get(assistantId);
    if (!assistant) throw notFound(`No assistant found with id '${excerpt(assistantId)}'.`);
    return assistant;
  }
  const existing = await store.assistants.oldest();
  if (existing) return existing;
  const assistant: Assistant = {
    id: newId('asst'),
    object: 'assistant',
    created_at: now,
    name: 'Bulk seed assistant',
    description: 'Created by the emulator to own seeded runs.',
    model: 'gpt-4o',
    instructions: 'You answer briefly.',
    tools: [],
    tool_resources: {},
    metadata: {},
    temperature: 1,
    top_p: 1,
    response_format: 'auto',
  };
  await store.assistants.insert(assistant);
  return assistant;
}

async function resolveThread(tx: StoreTables, threadId: string): Promise<string> {
  checkIdShape('thread_id', threadId, 'thread');
  if (!(await tx.threads.get(threadId))) throw notFound(`No thread found with id '${excerpt(threadId)}'.`);
  return threadId;
}

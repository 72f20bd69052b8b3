import type { Thread } from '../../shared/openai-types';
import { notFound } from '../api-error';
import type { EmulatorStore } from '../store/emulator-store';
import type { RunRecord } from '../store/run-record';
import { checkIdShape } from '../validation/path-ids';

/** Path lookups with OpenAI's refusals: a malformed id is a 400, an unknown one a 404. */
export function findThread(store: EmulatorStore, threadId: string): Thread {
  checkIdShape('thread_id', threadId, 'thread');
  const thread = store.threads.get(threadId);
  if (!thread) throw notFound(`No thread found with id '${threadId}'.`);
  return thread;
}

export function findRun(store: EmulatorStore, threadId: string, runId: string): RunRecord {
  findThread(store, threadId);
  checkIdShape('run_id', runId, 'run');
  const record = store.runs.get(runId);
  if (!record || record.run.thread_id !== threadId) throw notFound(`No run found with id '${runId}'.`);
  return record;
}

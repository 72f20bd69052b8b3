import type { Assistant, Message, Thread } from '../../shared/openai-types';
import { notFound } from '../api-error';
import type { AssistantsStore } from '../store/assistants-store';
import type { RunRecord } from '../store/run-record';
import { checkIdShape } from '../validation/path-ids';
import { excerpt } from '../../platform/request-input';

/** Path lookups with OpenAI's refusals: a malformed id is a 400, an unknown one a 404. */
export function findAssistant(store: AssistantsStore, assistantId: string): Assistant {
  checkIdShape('assistant_id', assistantId, 'asst');
  const assistant = store.assistants.get(assistantId);
  if (!assistant) throw notFound(`No assistant found with id '${excerpt(assistantId)}'.`);
  return assistant;
}

export function findThread(store: AssistantsStore, threadId: string): Thread {
  checkIdShape('thread_id', threadId, 'thread');
  const thread = store.threads.get(threadId);
  if (!thread) throw notFound(`No thread found with id '${excerpt(threadId)}'.`);
  return thread;
}

export function findRun(store: AssistantsStore, threadId: string, runId: string): RunRecord {
  findThread(store, threadId);
  checkIdShape('run_id', runId, 'run');
  const record = store.runs.get(runId);
  if (!record || record.run.thread_id !== threadId)
    throw notFound(`No run found with id '${excerpt(runId)}'.`);
  return record;
}

export function findMessage(store: AssistantsStore, threadId: string, messageId: string): Message {
  findThread(store, threadId);
  checkIdShape('message_id', messageId, 'msg');
  const message = store.messages.get(threadId, messageId);
  if (!message) throw notFound(`No message found with id '${excerpt(messageId)}'.`);
  return message;
}

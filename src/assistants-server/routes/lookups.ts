import type {
  Assistant,
  Message,
  Thread,
  VectorStore,
  VectorStoreFile,
  VectorStoreFileBatch,
} from '../../shared/openai-types';
import { notFound, type EmulatorApiError } from '../api-error';
import type { AssistantsStore, StoreTables } from '../store/assistants-store';
import type { RunRecord } from '../store/run-record';
import { excerpt } from '../../platform/request-input';
import { noSuchVectorStore } from '../vector-stores/vector-store-objects';

/** Path lookups with OpenAI's refusal of an unknown id, a 404 (a malformed one was refused by `pathIds`). */
export async function findAssistant(store: AssistantsStore, assistantId: string): Promise<Assistant> {
  const assistant = await store.assistants.get(assistantId);
  if (!assistant) throw notFound(`No assistant found with id '${excerpt(assistantId)}'.`);
  return assistant;
}

export async function findThread(store: AssistantsStore, threadId: string): Promise<Thread> {
  const thread = await store.threads.get(threadId);
  if (!thread) throw notFound(`No thread found with id '${excerpt(threadId)}'.`);
  return thread;
}

export async function findRun(store: AssistantsStore, threadId: string, runId: string): Promise<RunRecord> {
  await findThread(store, threadId);
  const record = await store.runs.get(runId);
  if (!record || record.run.thread_id !== threadId)
    throw notFound(`No run found with id '${excerpt(runId)}'.`);
  return record;
}

export async function findMessage(
  store: AssistantsStore,
  threadId: string,
  messageId: string,
): Promise<Message> {
  await findThread(store, threadId);
  const message = await store.messages.get(threadId, messageId);
  if (!message) throw notFound(`No message found with id '${excerpt(messageId)}'.`);
  return message;
}

export async function findVectorStore(store: StoreTables, vectorStoreId: string): Promise<VectorStore> {
  const vectorStore = await store.vectorStores.get(vectorStoreId);
  if (!vectorStore) throw noSuchVectorStore(vectorStoreId);
  return vectorStore;
}

export async function findVectorStoreFile(
  store: StoreTables,
  vectorStoreId: string,
  fileId: string,
): Promise<VectorStoreFile> {
  await findVectorStore(store, vectorStoreId);
  const file = await store.vectorStoreFiles.get(vectorStoreId, fileId);
  if (!file) throw noSuchFileInStore(vectorStoreId, fileId);
  return file;
}

export function noSuchFileInStore(vectorStoreId: string, fileId: string): EmulatorApiError {
  return notFound(`No file found with id '${excerpt(fileId)}' in vector store '${excerpt(vectorStoreId)}'.`);
}

export async function findFileBatch(
  store: StoreTables,
  vectorStoreId: string,
  batchId: string,
): Promise<VectorStoreFileBatch> {
  await findVectorStore(store, vectorStoreId);
  const batch = await store.fileBatches.get(batchId);
  if (!batch || batch.vector_store_id !== vectorStoreId)
    throw notFound(
      `No file batch found with id '${excerpt(batchId)}' in vector store '${excerpt(vectorStoreId)}'.`,
    );
  return batch;
}

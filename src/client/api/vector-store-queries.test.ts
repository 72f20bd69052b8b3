import { describe, expect, it } from 'vitest';
import type { ListResponse, VectorStore, VectorStoreFile } from '../../shared/openai-types';
import { ACTIVE_POLL_MS, IDLE_POLL_MS } from '../lib/polling-policy';
import { vectorStoreQueries } from './vector-store-queries';

const counts = { in_progress: 0, completed: 1, failed: 0, cancelled: 0, total: 1 };
const store = (patch: Partial<VectorStore> = {}): VectorStore => ({
  id: 'vs_1',
  object: 'vector_store',
  created_at: 1,
  name: 'Docs',
  usage_bytes: 10,
  file_counts: counts,
  status: 'completed',
  expires_at: null,
  last_active_at: 1,
  metadata: {},
  ...patch,
});
const file = (status: VectorStoreFile['status']): VectorStoreFile => ({
  id: 'file-1',
  object: 'vector_store.file',
  usage_bytes: 10,
  created_at: 1,
  vector_store_id: 'vs_1',
  status,
  last_error: null,
  chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
  attributes: null,
});
const list = <T>(data: T[]): ListResponse<T> => ({
  object: 'list',
  data,
  first_id: null,
  last_id: null,
  has_more: false,
});

/** The interval a query's options ask for, given what it last read. */
function intervalOf(options: { refetchInterval?: unknown }, data: unknown): unknown {
  const interval = options.refetchInterval as (query: { state: { data: unknown } }) => unknown;
  return interval({ state: { data } });
}

describe('vector store polling', () => {
  it('reads each second while a store or one of its files is in progress, slowly once all are done', () => {
    const page = vectorStoreQueries.page(null);
    expect(intervalOf(page, list([store()]))).toBe(IDLE_POLL_MS);
    expect(intervalOf(page, list([store(), store({ status: 'in_progress' })]))).toBe(ACTIVE_POLL_MS);
    expect(intervalOf(page, list([store({ file_counts: { ...counts, in_progress: 1, total: 2 } })]))).toBe(
      ACTIVE_POLL_MS,
    );
    const detail = vectorStoreQueries.detail('vs_1');
    expect(intervalOf(detail, store({ status: 'in_progress' }))).toBe(ACTIVE_POLL_MS);
    expect(intervalOf(detail, store({ status: 'expired' }))).toBe(IDLE_POLL_MS);
    expect(intervalOf(detail, undefined)).toBe(IDLE_POLL_MS);
  });

  it("reads a store's files each second only while one of them is being processed", () => {
    const files = vectorStoreQueries.files('vs_1', null);
    expect(intervalOf(files, list([file('completed'), file('in_progress')]))).toBe(ACTIVE_POLL_MS);
    expect(intervalOf(files, list([file('completed'), file('failed'), file('cancelled')]))).toBe(
      IDLE_POLL_MS,
    );
  });
});

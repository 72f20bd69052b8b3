import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, VectorStore, VectorStoreFile } from '../../shared/openai-types';
import { createHarness, type Harness } from '../test-support/emulator-harness';

const MANUAL = [
  'The pump is primed by opening the bleed valve until water runs clear.',
  'Replace the impeller every 2,000 hours of operation.',
].join('\n');
const RECIPES = 'A sourdough starter is fed with flour and water every twelve hours.';

let harness: Harness;
beforeAll(async () => (harness = await createHarness()));
afterAll(() => harness.close());

const idle = () => harness.emulator.vectorStoreFiles.whenIdle();

async function upload(text: string | Buffer, filename: string): Promise<string> {
  const file = await harness.client.files.create({
    file: await toFile(Buffer.from(text), filename),
    purpose: 'assistants',
  });
  return file.id;
}

async function post(path: string, body: unknown): Promise<Response> {
  return harness.app.request(`/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function refusal(
  response: Response | Promise<Response>,
): Promise<{ status: number } & ErrorResponse['error']> {
  const answered = await response;
  return { status: answered.status, ...((await answered.json()) as ErrorResponse).error };
}

describe('vector stores', () => {
  it('creates a store from file_ids, processes them off the request path, and counts them', async () => {
    const manual = await upload(MANUAL, 'manual.md');
    const recipes = await upload(RECIPES, 'recipes.txt');
    const created = await harness.client.vectorStores.create({
      name: 'Handbooks',
      file_ids: [manual, recipes],
      metadata: { team: 'ops' },
    });
    expect(created).toMatchObject({
      object: 'vector_store',
      name: 'Handbooks',
      status: 'in_progress',
      usage_bytes: 0,
      file_counts: { in_progress: 2, completed: 0, failed: 0, cancelled: 0, total: 2 },
      metadata: { team: 'ops' },
      expires_at: null,
    });
    expect(created.id).toMatch(/^vs_[A-Za-z0-9]{24}$/);
    expect(created.last_active_at).toBe(created.created_at);

    await idle();
    const done = await harness.client.vectorStores.retrieve(created.id);
    expect(done.status).toBe('completed');
    expect(done.file_counts).toEqual({ in_progress: 0, completed: 2, failed: 0, cancelled: 0, total: 2 });
    expect(done.usage_bytes).toBeGreaterThan(MANUAL.length);

    const file = await harness.client.vectorStores.files.retrieve(manual, { vector_store_id: created.id });
    expect(file).toEqual({
      id: manual,
      object: 'vector_store.file',
      usage_bytes: expect.any(Number) as number,
      created_at: created.created_at,
      vector_store_id: created.id,
      status: 'completed',
      last_error: null,
      chunking_strategy: {
        type: 'static',
        static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 },
      },
      attributes: null,
    });
    expect(file.usage_bytes).toBeGreaterThan(0);
  });

  it('searches by words, with the file name, score and chunk, and records the store as active', async () => {
    const manual = await upload(MANUAL, 'pump-manual.md');
    const other = await upload(RECIPES, 'bread.txt');
    const vectorStore = await harness.client.vectorStores.create({ file_ids: [manual, other] });
    await idle();
    await harness.advance(3600);
    const page = await harness.client.vectorStores.search(vectorStore.id, {
      query: 'how often to replace the impeller',
    });
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data[0]).toMatchObject({
      file_id: manual,
      filename: 'pump-manual.md',
      attributes: null,
      content: [{ type: 'text', text: expect.stringContaining('impeller') as string }],
    });
    expect(page.data[0]!.score).toBeGreaterThan(0);
    expect(page.data[0]!.score).toBeLessThanOrEqual(1);
    expect(page.data.every((hit) => hit.file_id !== other)).toBe(true);
    const raw = (await (
      await post(`/vector_stores/${vectorStore.id}/search`, {
        query: ['impeller', 'sourdough'],
        max_num_results: 1,
      })
    ).json()) as {
      search_query: string[];
      data: unknown[];
      object: string;
      has_more: boolean;
      next_page: null;
    };
    expect(raw).toMatchObject({
      object: 'vector_store.search_results.page',
      search_query: ['impeller', 'sourdough'],
      has_more: false,
      next_page: null,
    });
    expect(raw.data).toHaveLength(1);
    const touched = await harness.client.vectorStores.retrieve(vectorStore.id);
    expect(touched.last_active_at).toBe(vectorStore.created_at + 3600);
  });

  it("filters search results on the files' attributes", async () => {
    const vectorStore = await harness.client.vectorStores.create({ name: 'filtered' });
    const a = await upload('Torque the flange bolts to 40 Nm.', 'a.txt');
    const b = await upload('Torque the wheel nuts to 120 Nm.', 'b.txt');
    await harness.client.vectorStores.files.create(vectorStore.id, {
      file_id: a,
      attributes: { year: 2023, kind: 'pump' },
    });
    await harness.client.vectorStores.files.create(vectorStore.id, {
      file_id: b,
      attributes: { year: 2025, kind: 'car' },
    });
    await idle();
    const search = async (filters: unknown) =>
      (
        (await (
          await post(`/vector_stores/${vectorStore.id}/search`, { query: 'torque', filters })
        ).json()) as { data: Array<{ file_id: string }> }
      ).data.map((hit) => hit.file_id);
    expect((await search(undefined)).sort()).toEqual([a, b].sort());
    expect(await search({ type: 'eq', key: 'kind', value: 'car' })).toEqual([b]);
    expect(await search({ type: 'lt', key: 'year', value: 2024 })).toEqual([a]);
    expect(
      await search({
        type: 'and',
        filters: [
          { type: 'in', key: 'kind', value: ['pump', 'car'] },
          { type: 'gte', key: 'year', value: 2025 },
        ],
      }),
    ).toEqual([b]);
  });

  it('lists with paging and order, modifies, and deletes', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++)
      ids.push((await harness.client.vectorStores.create({ name: `page ${index}` })).id);
    const first = await harness.client.vectorStores.list({ limit: 2, order: 'desc' });
    expect(first.data.map((store) => store.id)).toEqual([ids[2], ids[1]]);
    expect(first.has_more).toBe(true);
    const next = await harness.client.vectorStores.list({ limit: 2, order: 'desc', after: ids[1] });
    expect(next.data[0]!.id).toBe(ids[0]);

    const modified = await harness.client.vectorStores.update(ids[0]!, {
      name: 'renamed',
      metadata: { a: 'b' },
      expires_after: { anchor: 'last_active_at', days: 2 },
    });
    expect(modified).toMatchObject({
      name: 'renamed',
      metadata: { a: 'b' },
      expires_after: { anchor: 'last_active_at', days: 2 },
    });
    expect(modified.expires_at).toBe(modified.last_active_at! + 2 * 86_400);
    const cleared = await harness.client.vectorStores.update(ids[0]!, { expires_after: null });
    expect(cleared.expires_at).toBeNull();
    expect(cleared).not.toHaveProperty('expires_after');

    expect(await harness.client.vectorStores.delete(ids[0]!)).toEqual({
      id: ids[0],
      object: 'vector_store.deleted',
      deleted: true,
    });
    expect(await refusal(harness.app.request(`/v1/vector_stores/${ids[0]}`))).toMatchObject({
      status: 404,
      message: `No vector store found with id '${ids[0]}'.`,
      type: 'invalid_request_error',
    });
  });

  it('expires a store expires_after days after it was last active', async () => {
    const vectorStore = await harness.client.vectorStores.create({
      expires_after: { anchor: 'last_active_at', days: 1 },
    });
    expect(vectorStore.expires_at).toBe(vectorStore.created_at + 86_400);
    await harness.advance(86_400);
    expect((await harness.client.vectorStores.retrieve(vectorStore.id)).status).toBe('expired');
    const listed = await harness.client.vectorStores.list({ limit: 100 });
    expect(listed.data.find((store) => store.id === vectorStore.id)?.status).toBe('expired');
    expect(await refusal(post(`/vector_stores/${vectorStore.id}/search`, { query: 'x' }))).toMatchObject({
      status: 400,
      code: 'vector_store_expired',
    });
  });
});

describe('vector store files and batches', () => {
  it('adds, lists with filter and paging, updates attributes and removes a file (its chunks with it)', async () => {
    const vectorStore = await harness.client.vectorStores.create({ name: 'files' });
    const good = await upload(MANUAL, 'good.md');
    const broken = await upload(Buffer.from('%PDF-1.7 this is not a pdf'), 'broken.pdf');
    const added = await harness.client.vectorStores.files.create(vectorStore.id, {
      file_id: good,
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 50 } },
    });
    expect(added).toMatchObject({
      id: good,
      status: 'in_progress',
      last_error: null,
      chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 50 } },
    });
    await harness.client.vectorStores.files.create(vectorStore.id, { file_id: broken });
    await idle();

    const failed = await harness.client.vectorStores.files.retrieve(broken, {
      vector_store_id: vectorStore.id,
    });
    expect(failed.status).toBe('failed');
    expect(failed.last_error?.code).toBe('invalid_file');
    expect((await harness.client.vectorStores.retrieve(vectorStore.id)).file_counts).toEqual({
      in_progress: 0,
      completed: 1,
      failed: 1,
      cancelled: 0,
      total: 2,
    });

    const completedOnly = await harness.client.vectorStores.files.list(vectorStore.id, {
      filter: 'completed',
    });
    expect(completedOnly.data.map((file) => file.id)).toEqual([good]);
    const firstPage = await harness.client.vectorStores.files.list(vectorStore.id, {
      limit: 1,
      order: 'asc',
    });
    expect(firstPage.data.map((file) => file.id)).toEqual([good]);
    expect(firstPage.has_more).toBe(true);

    const updated = await harness.client.vectorStores.files.update(good, {
      vector_store_id: vectorStore.id,
      attributes: { lang: 'en' },
    });
    expect(updated.attributes).toEqual({ lang: 'en' });

    expect(await harness.client.vectorStores.files.delete(good, { vector_store_id: vectorStore.id })).toEqual(
      { id: good, object: 'vector_store.file.deleted', deleted: true },
    );
    const after = await harness.client.vectorStores.retrieve(vectorStore.id);
    expect(after.file_counts.total).toBe(1);
    expect(after.usage_bytes).toBe(0);
    const search = await harness.client.vectorStores.search(vectorStore.id, { query: 'impeller' });
    expect(search.data).toEqual([]);
    // The file itself stays.
    expect((await harness.client.files.retrieve(good)).id).toBe(good);
  });

  it('deleting a file through /v1/files removes it from every vector store that holds it, as OpenAI documents', async () => {
    const pump = await upload(MANUAL, 'pump.md');
    const kept = await upload(RECIPES, 'recipes.txt');
    const first = await harness.client.vectorStores.create({ file_ids: [pump, kept] });
    const second = await harness.client.vectorStores.create({ file_ids: [pump] });
    await idle();
    expect((await harness.client.vectorStores.search(second.id, { query: 'impeller' })).data).toHaveLength(1);

    expect(await harness.client.files.delete(pump)).toEqual({ id: pump, object: 'file', deleted: true });
    for (const store of [first, second]) {
      const files = await harness.client.vectorStores.files.list(store.id);
      expect(files.data.map((file) => file.id)).toEqual(store === first ? [kept] : []);
      expect((await harness.client.vectorStores.search(store.id, { query: 'impeller' })).data).toEqual([]);
    }
    const firstNow = await harness.client.vectorStores.retrieve(first.id);
    expect(firstNow.file_counts).toEqual({ in_progress: 0, completed: 1, failed: 0, cancelled: 0, total: 1 });
    expect(firstNow.usage_bytes).toBeGreaterThan(0);
    const secondNow = await harness.client.vectorStores.retrieve(second.id);
    expect(secondNow).toMatchObject({ usage_bytes: 0, file_counts: { total: 0 }, status: 'completed' });
    const gone = await harness.app.request(`/v1/vector_stores/${second.id}/files/${pump}`);
    expect(gone.status).toBe(404);
  });

  it('deleting a file still being processed stops it and leaves nothing of it in the store', async () => {
    const waiting = await upload(MANUAL, 'waiting.md');
    const store = await harness.client.vectorStores.create({ file_ids: [waiting] });
    await harness.client.files.delete(waiting);
    await idle();
    expect((await harness.client.vectorStores.files.list(store.id)).data).toEqual([]);
    expect((await harness.client.vectorStores.retrieve(store.id)).file_counts.total).toBe(0);
    expect((await harness.client.vectorStores.search(store.id, { query: 'impeller' })).data).toEqual([]);
  });

  it('creates a batch, lists its files, and counts them as they complete', async () => {
    const vectorStore = await harness.client.vectorStores.create({});
    const ids = [
      await upload('alpha beta', 'a.txt'),
      await upload('gamma delta', 'b.txt'),
      await upload('epsilon', 'c.txt'),
    ];
    const batch = await harness.client.vectorStores.fileBatches.create(vectorStore.id, { file_ids: ids });
    expect(batch).toMatchObject({
      object: 'vector_store.files_batch',
      vector_store_id: vectorStore.id,
      status: 'in_progress',
      file_counts: { in_progress: 3, completed: 0, failed: 0, cancelled: 0, total: 3 },
    });
    expect(batch.id).toMatch(/^vsfb_[A-Za-z0-9]{24}$/);
    await idle();
    const done = await harness.client.vectorStores.fileBatches.retrieve(batch.id, {
      vector_store_id: vectorStore.id,
    });
    expect(done).toMatchObject({
      status: 'completed',
      file_counts: { in_progress: 0, completed: 3, total: 3 },
    });
    const files = await harness.client.vectorStores.fileBatches.listFiles(batch.id, {
      vector_store_id: vectorStore.id,
      order: 'asc',
    });
    expect(files.data.map((file) => file.id)).toEqual(ids);

    const perFile = await post(`/vector_stores/${vectorStore.id}/file_batches`, {
      files: [
        { file_id: ids[0], attributes: { n: 1 } },
        {
          file_id: ids[1],
          chunking_strategy: {
            type: 'static',
            static: { max_chunk_size_tokens: 200, chunk_overlap_tokens: 0 },
          },
        },
      ],
    });
    expect(perFile.status).toBe(200);
    await idle();
    const one = (await harness.client.vectorStores.files.retrieve(ids[0]!, {
      vector_store_id: vectorStore.id,
    })) as VectorStoreFile;
    expect(one.attributes).toEqual({ n: 1 });
  });

  it('cancels a batch: waiting files become cancelled and are not indexed', async () => {
    const slow = await createHarness({ fileSearch: { ingestQueue: { concurrency: 1 } } });
    try {
      const vectorStore = await slow.client.vectorStores.create({});
      const ids: string[] = [];
      for (let index = 0; index < 5; index++) {
        ids.push(
          (
            await slow.client.files.create({
              file: await toFile(Buffer.from(`word${index} `.repeat(2000)), `f${index}.txt`),
              purpose: 'assistants',
            })
          ).id,
        );
      }
      const batch = await slow.client.vectorStores.fileBatches.create(vectorStore.id, { file_ids: ids });
      const cancelled = await slow.client.vectorStores.fileBatches.cancel(batch.id, {
        vector_store_id: vectorStore.id,
      });
      expect(cancelled.status).toBe('cancelled');
      await slow.emulator.vectorStoreFiles.whenIdle();
      const after = await slow.client.vectorStores.fileBatches.retrieve(batch.id, {
        vector_store_id: vectorStore.id,
      });
      expect(after.status).toBe('cancelled');
      expect(after.file_counts.cancelled).toBeGreaterThanOrEqual(4);
      expect(after.file_counts.in_progress).toBe(0);
      expect(after.file_counts.cancelled + after.file_counts.completed).toBe(5);
      const store = (await slow.client.vectorStores.retrieve(vectorStore.id)) as VectorStore;
      expect(store.status).toBe('completed');
      const hits = await slow.client.vectorStores.search(vectorStore.id, { query: 'word4' });
      expect(hits.data).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});

describe("refusals in OpenAI's wording", () => {
  it('an unknown store, file or batch is a 404', async () => {
    expect(await refusal(harness.app.request('/v1/vector_stores/vs_missing'))).toMatchObject({
      status: 404,
      message: "No vector store found with id 'vs_missing'.",
    });
    const vectorStore = await harness.client.vectorStores.create({});
    expect(
      await refusal(post(`/vector_stores/${vectorStore.id}/files`, { file_id: 'file-nope' })),
    ).toMatchObject({
      status: 404,
      message: "No file found with id 'file-nope'.",
    });
    expect(
      await refusal(harness.app.request(`/v1/vector_stores/${vectorStore.id}/files/file-nope`)),
    ).toMatchObject({
      status: 404,
      message: `No file found with id 'file-nope' in vector store '${vectorStore.id}'.`,
    });
    expect(
      await refusal(harness.app.request(`/v1/vector_stores/${vectorStore.id}/file_batches/vsfb_nope`)),
    ).toMatchObject({ status: 404 });
    expect(await refusal(harness.app.request('/v1/vector_stores/store_1'))).toMatchObject({
      status: 400,
      message: "Invalid 'vector_store_id': 'store_1'. Expected an ID that begins with 'vs'.",
    });
  });

  it("chunking outside OpenAI's limits, and an unsupported file type", async () => {
    expect(
      await refusal(
        post('/vector_stores', {
          chunking_strategy: {
            type: 'static',
            static: { max_chunk_size_tokens: 50, chunk_overlap_tokens: 0 },
          },
        }),
      ),
    ).toMatchObject({
      status: 400,
      param: 'chunking_strategy.static.max_chunk_size_tokens',
      message:
        "Invalid 'chunking_strategy.static.max_chunk_size_tokens': integer below minimum value. Expected a value >= 100, but got 50 instead.",
    });
    expect(
      await refusal(
        post('/vector_stores', {
          chunking_strategy: {
            type: 'static',
            static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 401 },
          },
        }),
      ),
    ).toMatchObject({
      status: 400,
      param: 'chunking_strategy.static.chunk_overlap_tokens',
    });
    expect(await refusal(post('/vector_stores', { chunking_strategy: { type: 'fixed' } }))).toMatchObject({
      status: 400,
      param: 'chunking_strategy.type',
    });
    const image = await upload(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'photo.png');
    expect(await refusal(post('/vector_stores', { file_ids: [image] }))).toMatchObject({
      status: 400,
      param: 'file_ids',
      code: 'unsupported_file',
      message:
        'Files with extensions [.png] are not supported for retrieval. See https://platform.openai.com/docs/assistants/tools/file-search#supported-files',
    });
    const vectorStore = await harness.client.vectorStores.create({});
    expect(await refusal(post(`/vector_stores/${vectorStore.id}/file_batches`, {}))).toMatchObject({
      status: 400,
      message: "Missing required parameter: 'file_ids'.",
    });
    expect(
      await refusal(post(`/vector_stores/${vectorStore.id}/search`, { query: 'x', max_num_results: 51 })),
    ).toMatchObject({ status: 400, param: 'max_num_results' });
    expect(
      await refusal(post('/vector_stores', { expires_after: { anchor: 'last_active_at', days: 366 } })),
    ).toMatchObject({ status: 400, param: 'expires_after.days' });
  });

  it('bounds: file_ids, batches, attributes, queries and cursors', async () => {
    const many = (count: number) => Array.from({ length: count }, (_, index) => `file-${index}`);
    expect(await refusal(post('/vector_stores', { file_ids: many(501) }))).toMatchObject({
      status: 400,
      param: 'file_ids',
    });
    const vectorStore = await harness.client.vectorStores.create({});
    expect(
      await refusal(post(`/vector_stores/${vectorStore.id}/file_batches`, { file_ids: many(2001) })),
    ).toMatchObject({ status: 400, param: 'file_ids' });
    const attributes = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, index]));
    expect(
      await refusal(post(`/vector_stores/${vectorStore.id}/files`, { file_id: 'file-x', attributes })),
    ).toMatchObject({ status: 400, param: 'attributes', code: 'object_above_max_properties' });
    expect(await refusal(post(`/vector_stores/${vectorStore.id}/search`, { query: many(11) }))).toMatchObject(
      { status: 400, param: 'query' },
    );
    expect(
      await refusal(harness.app.request(`/v1/vector_stores/${vectorStore.id}/files?after=file-unknown`)),
    ).toMatchObject({ status: 400, param: 'after' });
  });
});

import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The openai SDK v4 as Experts.js installs it (4.104: vector stores at the top level, as they left `beta` in 4.85).
import OpenAIv4, { toFile as toFileV4 } from '../../../node_modules/experts/node_modules/openai';
import { startListeningEmulator, type ListeningEmulator } from '../test-support/listening-emulator';

/**
 * The SDK's own vector store flows over a real socket through the whole server (perimeter, audit trail, /v1):
 * upload and poll a batch, add a file and poll it, search. The SDK polls by the `openai-poll-after-ms` header the
 * server sends while a file or batch is `in_progress`, so these run in well under a second of polling.
 */
let server: ListeningEmulator;
beforeAll(async () => (server = await startListeningEmulator()));
afterAll(() => server.close());

const DOCUMENTS = [
  { name: 'turbines.md', text: 'The turbines are inspected every 90 days by the maintenance crew.' },
  { name: 'soup.txt', text: 'The tomato soup simmers for forty minutes with basil.' },
  {
    name: 'parking.html',
    text: '<html><body><p>Staff park on level three of the east garage.</p></body></html>',
  },
];

describe('openai SDK v7', () => {
  let client: OpenAI;
  beforeAll(() => {
    client = new OpenAI({ apiKey: 'anything', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });

  it('fileBatches.uploadAndPoll, files.uploadAndPoll and createAndPoll, then search finds the right file', async () => {
    const vectorStore = await client.vectorStores.create({ name: 'Handbook' });
    const files = await Promise.all(
      DOCUMENTS.slice(0, 2).map(async (doc) => toFile(Buffer.from(doc.text), doc.name)),
    );
    const batch = await client.vectorStores.fileBatches.uploadAndPoll(vectorStore.id, { files });
    expect(batch).toMatchObject({
      object: 'vector_store.files_batch',
      status: 'completed',
      file_counts: { completed: 2, failed: 0, in_progress: 0, cancelled: 0, total: 2 },
    });

    const third = DOCUMENTS[2]!;
    const uploaded = await client.vectorStores.files.uploadAndPoll(
      vectorStore.id,
      await toFile(Buffer.from(third.text), third.name),
    );
    expect(uploaded).toMatchObject({ status: 'completed', last_error: null });

    const plain = await client.files.create({
      file: await toFile(Buffer.from('Visitors sign in at the front desk.'), 'visitors.txt'),
      purpose: 'assistants',
    });
    const added = await client.vectorStores.files.createAndPoll(vectorStore.id, { file_id: plain.id });
    expect(added).toMatchObject({ id: plain.id, status: 'completed' });

    const store = await client.vectorStores.retrieve(vectorStore.id);
    expect(store).toMatchObject({ status: 'completed', file_counts: { completed: 4, total: 4 } });

    const results = await client.vectorStores.search(vectorStore.id, { query: 'where do staff park?' });
    expect(results.data[0]).toMatchObject({ file_id: uploaded.id, filename: 'parking.html' });
    expect(results.data[0]!.content[0]!.text).toContain('level three');

    const listed = [];
    for await (const file of client.vectorStores.files.list(vectorStore.id, { limit: 2 }))
      listed.push(file.id);
    expect(listed).toHaveLength(4);
  });

  it("a file of a type file search does not read is refused at once, in OpenAI's words", async () => {
    const vectorStore = await client.vectorStores.create({});
    const image = await client.files.create({
      file: await toFile(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'chart.png'),
      purpose: 'assistants',
    });
    await expect(
      client.vectorStores.files.createAndPoll(vectorStore.id, { file_id: image.id }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'unsupported_file',
      message: expect.stringContaining(
        'Files with extensions [.png] are not supported for retrieval.',
      ) as string,
    });
  });
});

describe('openai SDK v4', () => {
  let client: OpenAIv4;
  beforeAll(() => {
    client = new OpenAIv4({ apiKey: 'anything', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });

  it('vectorStores.fileBatches.uploadAndPoll, files.createAndPoll and search', async () => {
    const vectorStore = await client.vectorStores.create({ name: 'v4' });
    const files = await Promise.all(DOCUMENTS.map(async (doc) => toFileV4(Buffer.from(doc.text), doc.name)));
    const batch = await client.vectorStores.fileBatches.uploadAndPoll(vectorStore.id, { files });
    expect(batch).toMatchObject({ status: 'completed', file_counts: { completed: 3, total: 3 } });

    const plain = await client.files.create({
      file: await toFileV4(Buffer.from('The library closes at nine.'), 'library.md'),
      purpose: 'assistants',
    });
    const added = await client.vectorStores.files.createAndPoll(vectorStore.id, { file_id: plain.id });
    expect(added.status).toBe('completed');

    const results = await client.vectorStores.search(vectorStore.id, { query: 'tomato soup' });
    expect(results.data[0]).toMatchObject({ filename: 'soup.txt' });
    const deleted = await client.vectorStores.del(vectorStore.id);
    expect(deleted).toEqual({ id: vectorStore.id, object: 'vector_store.deleted', deleted: true });
  });
});

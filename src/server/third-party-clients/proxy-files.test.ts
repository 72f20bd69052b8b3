import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI, { toFile } from 'openai';
import { silentLogger } from '../../platform/logger';
import { loadConfig } from '../config';
import { startServer, type RunningServer } from '../start-server';

/**
 * The openai SDK v7 uses files and vector stores through a Runboard in proxy mode (with an access token) in front of
 * a second Runboard: a 2 MiB upload (past the perimeter's 1 MiB bound for other bodies), uploadAndPoll, search, a
 * file's exact bytes and parsed content, a delete that leaves the store.
 */
const TOKEN = 'runboard-proxy-token';
let upstream: RunningServer;
let proxy: RunningServer;
let agent: OpenAI;

beforeAll(async () => {
  const common = { HOST: '127.0.0.1', PORT: '0', RUNBOARD_DB: ':memory:', LOG_LEVEL: 'silent' };
  upstream = await startServer(loadConfig({ ...common, RUNBOARD_SEED: 'none' }), silentLogger, {
    dashboardDir: null,
  });
  proxy = await startServer(
    loadConfig({
      ...common,
      OPENAI_BASE_URL: `${upstream.url}/v1`,
      OPENAI_API_KEY: 'sk-proxy-server-key',
      RUNBOARD_TOKEN: TOKEN,
    }),
    silentLogger,
    { dashboardDir: null },
  );
  agent = new OpenAI({
    apiKey: 'sk-agent',
    baseURL: `${proxy.url}/v1`,
    maxRetries: 0,
    defaultHeaders: { 'x-runboard-token': TOKEN },
  });
});
afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

describe('files and vector stores through proxy mode', () => {
  it('uploads, indexes, searches, reads back and deletes through the proxy', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'pallet inventory line\n');
    const uploaded = await agent.files.create({
      file: await toFile(big, 'inventory.txt'),
      purpose: 'assistants',
    });
    expect(uploaded).toMatchObject({ object: 'file', bytes: big.length, filename: 'inventory.txt' });
    const back = Buffer.from(await (await agent.files.content(uploaded.id)).arrayBuffer());
    expect(back.equals(big)).toBe(true);

    const store = await agent.vectorStores.create({ name: 'through the proxy' });
    const batch = await agent.vectorStores.fileBatches.uploadAndPoll(store.id, {
      files: [await toFile(Buffer.from('The impeller is replaced every 2,000 hours.'), 'pump.md')],
    });
    expect(batch.file_counts).toMatchObject({ completed: 1, total: 1 });
    const [pump] = (await agent.vectorStores.files.list(store.id)).data;
    const found = await agent.vectorStores.search(store.id, { query: 'impeller hours' });
    expect(found.data[0]).toMatchObject({ file_id: pump!.id, filename: 'pump.md' });
    const parts = [];
    for await (const part of agent.vectorStores.files.content(pump!.id, { vector_store_id: store.id }))
      parts.push(part);
    expect(parts).toEqual([{ type: 'text', text: 'The impeller is replaced every 2,000 hours.' }]);

    await agent.files.delete(pump!.id);
    expect((await agent.vectorStores.files.list(store.id)).data).toEqual([]);
  }, 60_000);

  it('keeps the perimeter: an upload without the access token is refused before the upstream', async () => {
    const direct = new OpenAI({ apiKey: 'x', baseURL: `${upstream.url}/v1` });
    const before = (await direct.files.list()).data.length;
    const response = await fetch(`${proxy.url}/v1/files`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body: '--b\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nassistants\r\n--b\r\ncontent-disposition: form-data; name="file"; filename="sneaky.txt"\r\n\r\nhi\r\n--b--\r\n',
    });
    expect(response.status).toBe(401);
    expect((await direct.files.list()).data.length).toBe(before);
  });
});

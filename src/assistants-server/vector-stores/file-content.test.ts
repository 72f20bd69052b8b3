import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, VectorStoreFileContentPage } from '../../shared/openai-types';
import { HOLDING_PARSE_WORKER, holdingParses } from '../file-search/test-support/holding-parses';
import { countingBytes, heldBytes } from '../test-support/stand-in-bytes';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { MAX_WAITING_CONTENT_PARSES } from './vector-store-files';
import { loadContract, SPEC_AVAILABLE } from '../test-support/openapi-contract';

/** `GET /v1/vector_stores/{id}/files/{file_id}/content`: the parsed text of a file in a store, bounded in bytes. */
let harness: Harness;
beforeAll(async () => (harness = await createHarness({ maxFileContentBytes: 64 })));
afterAll(() => harness.close());

/** A processed store holding one file, on `on` (the file's harness by default). */
async function storeWith(
  text: string,
  filename: string,
  on: Harness = harness,
): Promise<{ storeId: string; fileId: string }> {
  const file = await on.client.files.create({
    file: await toFile(Buffer.from(text), filename),
    purpose: 'assistants',
  });
  const store = await on.client.vectorStores.create({ name: 'content', file_ids: [file.id] });
  await on.emulator.vectorStoreFiles.whenIdle();
  return { storeId: store.id, fileId: file.id };
}

async function content(storeId: string, fileId: string): Promise<{ status: number; body: unknown }> {
  const response = await harness.app.request(`/v1/vector_stores/${storeId}/files/${fileId}/content`);
  return { status: response.status, body: await response.json() };
}

describe('vector store file content', () => {
  it('answers the text the file was parsed into (HTML without its tags), through the SDK', async () => {
    const { storeId, fileId } = await storeWith(
      '<html><head><style>p{}</style></head><body><p>Aisle 9 &amp; dock</p></body></html>',
      'dock.html',
    );
    const parts = [];
    for await (const part of harness.client.vectorStores.files.content(fileId, { vector_store_id: storeId }))
      parts.push(part);
    expect(parts).toEqual([{ type: 'text', text: 'Aisle 9 & dock' }]);
    const { status, body } = await content(storeId, fileId);
    expect(status).toBe(200);
    expect(body).toEqual({
      object: 'vector_store.file_content.page',
      data: [{ type: 'text', text: 'Aisle 9 & dock' }],
      has_more: false,
      next_page: null,
    });
    if (SPEC_AVAILABLE) loadContract().assertMatches('VectorStoreFileContentResponse', body);
  }, 60_000);

  it('stops at the byte bound between characters and says there is more', async () => {
    const text = 'é'.repeat(40); // 80 bytes of UTF-8, over the harness's 64
    const { storeId, fileId } = await storeWith(text, 'accents.txt');
    const { body } = await content(storeId, fileId);
    const page = body as VectorStoreFileContentPage;
    expect(page.data[0]!.text).toBe('é'.repeat(32));
    expect(page.has_more).toBe(true);
    expect(page.next_page).toBeNull();
  });

  it('refuses a file the store does not hold, and a store that does not exist, in OpenAI wording', async () => {
    const { storeId } = await storeWith('Pallets.', 'pallets.txt');
    const missing = await content(storeId, 'file-abc123');
    expect(missing.status).toBe(404);
    expect((missing.body as ErrorResponse).error.message).toBe(
      `No file found with id 'file-abc123' in vector store '${storeId}'.`,
    );
    const noStore = await content('vs_abc123', 'file-abc123');
    expect((noStore.body as ErrorResponse).error.message).toBe("No vector store found with id 'vs_abc123'.");
  });

  it('answers a failed file with why it did not parse', async () => {
    const { storeId, fileId } = await storeWith('%PDF-1.4 broken', 'broken.pdf');
    const { status, body } = await content(storeId, fileId);
    expect(status).toBe(400);
    expect((body as ErrorResponse).error).toMatchObject({ code: 'invalid_file', param: 'file_id' });
  });
});

describe('vector store file content under load', () => {
  it('parses as many at once as files are processed, lets a few wait, and refuses the rest with 429', async () => {
    const held = heldBytes();
    const loaded = await createHarness({
      fileBytes: held.bytes,
      fileSearch: { ingestQueue: { concurrency: 1 } },
    });
    try {
      const { storeId, fileId } = await storeWith('Pallets are stacked four high.', 'pallets.txt', loaded);
      held.hold();
      const path = `/v1/vector_stores/${storeId}/files/${fileId}/content`;
      const admitted = Array.from({ length: 1 + MAX_WAITING_CONTENT_PARSES }, () => loaded.app.request(path));
      for (let attempt = 0; attempt < 500; attempt++) {
        const { active, queued } = loaded.emulator.vectorStoreFiles.contentParsesInFlight;
        if (active === 1 && queued === MAX_WAITING_CONTENT_PARSES) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const refused = await loaded.app.request(path);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as ErrorResponse).error).toMatchObject({
        code: 'rate_limit_exceeded',
        type: 'requests',
      });
      held.release();
      const answers = await Promise.all(admitted);
      expect(answers.map((answer) => answer.status)).toEqual(admitted.map(() => 200));
    } finally {
      held.release();
      await loaded.close();
    }
  });
});

describe('content requests whose client goes away, or whose bytes are gone', () => {
  it('stops reading the bytes when the client goes away', async () => {
    const counting = countingBytes(100);
    const loaded = await createHarness({ fileBytes: counting.bytes });
    try {
      const { storeId, fileId } = await storeWith('Pallets are stacked four high.', 'pallets.txt', loaded);
      counting.arm();
      const client = new AbortController();
      const answer = Promise.resolve(
        loaded.app.request(`/v1/vector_stores/${storeId}/files/${fileId}/content`, {
          signal: client.signal,
        }),
      ).catch((error: unknown) => error);
      for (let attempt = 0; attempt < 500 && counting.state.produced === 0; attempt++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(counting.state.produced).toBe(1);
      client.abort();
      await new Promise((resolve) => setTimeout(resolve, 20));
      counting.release();
      await answer;
      expect(counting.state.produced).toBeLessThan(5);
      expect(loaded.emulator.vectorStoreFiles.contentParsesInFlight).toEqual({ active: 0, queued: 0 });
    } finally {
      counting.release();
      await loaded.close();
    }
  });

  it("ends the parse in its worker when the client goes away, freeing the worker's slot", async () => {
    const holding = holdingParses();
    const held = await createHarness({ parseWorkerEntry: HOLDING_PARSE_WORKER });
    try {
      const file = await held.client.files.create({
        file: await toFile(Buffer.from('Kilns are fired at dawn.'), 'kiln.txt'),
        purpose: 'assistants',
      });
      const store = await held.client.vectorStores.create({ name: 'content', file_ids: [file.id] });
      expect(await holding.next()).toBe('kiln.txt');
      holding.release('kiln.txt');
      await held.emulator.vectorStoreFiles.whenIdle();

      const client = new AbortController();
      const answer = Promise.resolve(
        held.app.request(`/v1/vector_stores/${store.id}/files/${file.id}/content`, { signal: client.signal }),
      ).catch((error: unknown) => error);
      expect(await holding.next()).toBe('kiln.txt');
      expect(held.emulator.fileParser.stats.running).toBe(1);
      client.abort();
      // The request's signal follows the client's at once, and ending the worker is synchronous.
      expect(held.emulator.fileParser.stats.running).toBe(0);
      await answer;
      expect(held.emulator.vectorStoreFiles.contentParsesInFlight).toEqual({ active: 0, queued: 0 });
    } finally {
      holding.close();
      await held.close();
    }
  });

  it("answers 404 in OpenAI's words when the file's bytes are gone, on both content routes", async () => {
    const held = heldBytes();
    const loaded = await createHarness({ fileBytes: held.bytes });
    try {
      const { storeId, fileId } = await storeWith('Pallets are stacked four high.', 'pallets.txt', loaded);
      await held.bytes.remove(fileId);
      for (const path of [
        `/v1/vector_stores/${storeId}/files/${fileId}/content`,
        `/v1/files/${fileId}/content`,
      ]) {
        const answer = await loaded.app.request(path);
        expect(answer.status).toBe(404);
        expect(((await answer.json()) as ErrorResponse).error).toEqual({
          message: `No such File object: ${fileId}`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        });
      }
      // Processed again, the file fails as a file that cannot be read, not as a server error.
      const again = await loaded.client.vectorStores.create({ file_ids: [fileId] });
      await loaded.emulator.vectorStoreFiles.whenIdle();
      const failed = await loaded.client.vectorStores.files.retrieve(fileId, { vector_store_id: again.id });
      expect(failed).toMatchObject({
        status: 'failed',
        last_error: { code: 'invalid_file', message: `The bytes of ${fileId} are gone.` },
      });
    } finally {
      await loaded.close();
    }
  });
});

describe('content requests whose parser fails', () => {
  it("answers 503 in OpenAI's shape, not a bare 500, when the parser itself fails on the file", async () => {
    const broken = await createHarness({
      parseWorkerEntry: new URL('../file-search/test-support/throwing-parse-worker.ts', import.meta.url),
    });
    try {
      const { storeId, fileId } = await storeWith('Aisle 9', 'aisle.txt', broken);
      const response = await broken.app.request(`/v1/vector_stores/${storeId}/files/${fileId}/content`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as ErrorResponse).error).toMatchObject({
        type: 'server_error',
        code: 'server_error',
        param: null,
        message: expect.stringMatching(/The parser broke on aisle\.txt\..*try again in a moment\.$/),
      });
    } finally {
      await broken.close();
    }
  });
});

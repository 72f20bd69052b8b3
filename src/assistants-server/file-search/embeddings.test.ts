import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embedTexts, embeddingSettingsFor, type EmbeddingSettings } from './embeddings';
import {
  bagOfWords,
  startScriptedEmbeddingsServer,
  STAND_IN_DIMENSIONS,
  type ScriptedEmbeddingsServer,
} from './test-support/scripted-embeddings-server';

let server: ScriptedEmbeddingsServer;
beforeAll(async () => {
  server = await startScriptedEmbeddingsServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const waits: number[] = [];
const settings = (overrides: Partial<EmbeddingSettings> = {}): EmbeddingSettings =>
  embeddingSettingsFor(
    {
      endpoint: { baseUrl: new URL(server.url), apiKey: 'sk-test-secret-key-1234', idleTimeoutMs: 2_000 },
      modelMap: { 'text-embedding-3-small': 'nomic-embed-text' },
      concurrency: 1,
      retry: { maxRetries: 2, backoffMs: () => 1 },
    },
    'text-embedding-3-small',
    { batchSize: 2, ...overrides },
  );
const options = {
  sleep: async (ms: number) => {
    waits.push(ms);
  },
};

describe('embedTexts against a polite endpoint', () => {
  it('sends batches in order with the mapped model and the key, and returns one Float32 vector per text', async () => {
    const texts = ['pump inspection', 'holiday portal', 'diesel in winter', 'turbines', 'schedule'];
    const result = await embedTexts(settings(), texts, options);
    expect(server.requests.map((request) => request.input)).toEqual([
      texts.slice(0, 2),
      texts.slice(2, 4),
      ['schedule'],
    ]);
    expect(server.requests[0]).toMatchObject({
      model: 'nomic-embed-text',
      authorization: 'Bearer sk-test-secret-key-1234',
    });
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.completion.vectors.map((vector) => Array.from(vector))).toEqual(texts.map(bagOfWords));
    expect(result.completion.vectors[0]).toBeInstanceOf(Float32Array);
    expect(result.completion.promptTokens).toBe(15);
  });

  it("puts vectors where their index says, whatever the answer's order", async () => {
    server.script({ vectors: true, reversed: true });
    const result = await embedTexts(settings(), ['alpha', 'beta'], options);
    expect(result.ok && result.completion.vectors.map((vector) => Array.from(vector))).toEqual([
      bagOfWords('alpha'),
      bagOfWords('beta'),
    ]);
  });
});

describe('embedTexts against a misbehaving endpoint', () => {
  it('waits what a 429 says, then goes on', async () => {
    waits.splice(0);
    server.script({ status: 429, retryAfterMs: 1_234, message: 'Slow down' });
    const result = await embedTexts(settings(), ['alpha'], options);
    expect(result.ok).toBe(true);
    expect(waits).toEqual([1_234]);
    expect(server.requests).toHaveLength(2);
  });

  it('refuses an answer with the wrong number of vectors, after its retries', async () => {
    server.script({ wrongCount: true }, { wrongCount: true }, { wrongCount: true });
    const result = await embedTexts(settings(), ['alpha', 'beta'], options);
    expect(result).toEqual({
      ok: false,
      aborted: false,
      code: 'server_error',
      message: 'Sorry, something went wrong.',
    });
    expect(server.requests).toHaveLength(3);
  });

  it('retries a broken JSON answer and takes the next good one', async () => {
    server.script({ brokenJson: true });
    const result = await embedTexts(settings(), ['alpha'], options);
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('stops reading an answer at maxResponseBytes and closes the connection', async () => {
    server.script({ hugeBytes: 50_000_000 });
    const before = server.abandoned();
    const result = await embedTexts(
      settings({ maxResponseBytes: 100_000, retry: { maxRetries: 0, backoffMs: () => 1 } }),
      ['alpha'],
      options,
    );
    expect(result).toMatchObject({ ok: false, code: 'server_error' });
    await expect.poll(() => server.abandoned()).toBeGreaterThan(before);
  });

  it('refuses a vector longer than maxDimensions', async () => {
    const result = await embedTexts(
      settings({ maxDimensions: STAND_IN_DIMENSIONS - 1, retry: { maxRetries: 0, backoffMs: () => 1 } }),
      ['alpha'],
      options,
    );
    expect(result.ok).toBe(false);
  });

  it('gives up on a silent endpoint after the timeout', async () => {
    server.script({ hang: true });
    const result = await embedTexts(
      settings({
        retry: { maxRetries: 0, backoffMs: () => 1 },
        endpoint: { baseUrl: new URL(server.url), apiKey: null, idleTimeoutMs: 100 },
      }),
      ['alpha'],
      options,
    );
    expect(result).toMatchObject({ ok: false, code: 'server_error' });
    // Recorded within this test (a loaded machine may read the request after the client gave up).
    await expect.poll(() => server.requests.length).toBe(1);
  });

  it('does not retry a refusal (a wrong model), and masks the key in its message', async () => {
    server.script({ status: 404, message: 'model not found for key sk-test-secret-key-1234' });
    const result = await embedTexts(settings(), ['alpha'], options);
    expect(result.ok).toBe(false);
    const message = !result.ok && !result.aborted ? result.message : '';
    expect(message).toMatch(/^The model endpoint refused the request \(HTTP 404\)/);
    expect(message).not.toContain('sk-test-secret-key-1234');
    expect(server.requests).toHaveLength(1);
  });

  it('stops when the caller aborts', async () => {
    server.script({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await embedTexts(settings(), ['alpha'], { ...options, signal: controller.signal });
    expect(result).toEqual({ ok: false, aborted: true });
    await expect.poll(() => server.requests.length).toBe(1);
  });
});

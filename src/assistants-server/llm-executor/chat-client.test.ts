import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attemptChatCompletion, retryAfterMs, type ModelEndpoint } from './chat-client';
import {
  HELLO_REQUEST,
  startScriptedChatServer,
  type ScriptedChatServer,
} from './test-support/scripted-chat-server';

let model: ScriptedChatServer;
let endpoint: ModelEndpoint;
beforeAll(async () => {
  model = await startScriptedChatServer();
  endpoint = { baseUrl: new URL(`${model.url}/`), apiKey: 'sk-test-secret-key-1234', idleTimeoutMs: 5_000 };
});
afterAll(() => model.close());
beforeEach(() => model.reset());

const request = HELLO_REQUEST;

async function attempt(signal = new AbortController().signal) {
  const pieces: string[] = [];
  const result = await attemptChatCompletion(endpoint, request, {
    signal,
    onText: (text) => pieces.push(text),
  });
  return { result, pieces };
}

describe('attemptChatCompletion', () => {
  it('streams text piece by piece and reads the usage chunk', async () => {
    model.script({
      text: 'The sky is blue today',
      chunks: 3,
      usage: { prompt_tokens: 7, completion_tokens: 5 },
    });
    const { result, pieces } = await attempt();
    expect(pieces).toEqual(['The sky', ' is blu', 'e today']);
    expect(result).toMatchObject({
      ok: true,
      completion: {
        text: 'The sky is blue today',
        finishReason: 'stop',
        toolCalls: [],
        usage: { prompt_tokens: 7 },
      },
    });
    const sent = model.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test-secret-key-1234');
    expect(sent.body).toEqual(request);
  });

  it('reads a whole JSON completion from an upstream that does not stream', async () => {
    model.script({ text: 'All at once', whole: true });
    const { result, pieces } = await attempt();
    expect(pieces).toEqual(['All at once']);
    expect(result).toMatchObject({ ok: true, completion: { text: 'All at once', finishReason: 'stop' } });
  });

  it('merges parallel tool calls streamed in pieces, keeping the model call ids', async () => {
    model.script({
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: { location: 'Paris' } },
        { id: 'call_b', name: 'lookup_order', arguments: { order_id: 'A-1001' } },
      ],
    });
    const { result } = await attempt();
    expect(result).toMatchObject({
      ok: true,
      completion: {
        finishReason: 'tool_calls',
        toolCalls: [
          {
            id: 'call_a',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
          },
          {
            id: 'call_b',
            type: 'function',
            function: { name: 'lookup_order', arguments: '{"order_id":"A-1001"}' },
          },
        ],
      },
    });
  });

  it.each([
    [
      { status: 429, retryAfter: 2 },
      { kind: 'rate_limited', retryAfterMs: 2000 },
    ],
    [{ status: 500 }, { kind: 'unavailable', reason: 'status', status: 500 }],
    [
      { status: 400, message: "This model's maximum context length is 8192 tokens" },
      { kind: 'invalid_prompt', message: "This model's maximum context length is 8192 tokens" },
    ],
    [
      { status: 404, message: 'model "nope" not found' },
      { kind: 'refused', status: 404 },
    ],
  ] as const)('classifies %j', async (reply, failure) => {
    model.script(reply);
    const { result } = await attempt();
    expect(result).toMatchObject({ ok: false, failure, streamed: false });
  });

  it('masks the key when the upstream echoes it', async () => {
    model.script({
      status: 401,
      message: 'Incorrect API key provided: sk-test-secret-key-1234. Or sk-tes***1234.',
    });
    const { result } = await attempt();
    expect(JSON.stringify(result)).not.toContain('secret-key');
    expect(JSON.stringify(result)).not.toContain('1234');
  });

  it('gives up on a hang after the idle timeout', async () => {
    model.script({ hang: true });
    const result = await attemptChatCompletion({ ...endpoint, idleTimeoutMs: 300 }, request, {
      signal: new AbortController().signal,
      onText: () => {},
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable', reason: 'timeout' } });
  });

  it('reports a stream that broke off after some text as streamed', async () => {
    model.script({ breakAfter: 'Half an ans' });
    const { result, pieces } = await attempt();
    expect(pieces).toEqual(['Half an ans']);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable' }, streamed: true });
  });

  it('stops at once when the run is cancelled', async () => {
    model.script({ hang: true });
    const controller = new AbortController();
    const attempting = attempt(controller.signal);
    // Cancelled while the model holds the call open.
    await expect.poll(() => model.inFlight()).toBe(1);
    controller.abort();
    // At once: the model sees its connection closed within a second, long before the idle timeout (5 s).
    await expect.poll(() => model.inFlight(), { timeout: 1_000 }).toBe(0);
    const { result } = await attempting;
    expect(result).toMatchObject({ ok: false, failure: { kind: 'aborted' } });
  });

  it('reports an unreachable endpoint', async () => {
    const closed = await startScriptedChatServer();
    await closed.close();
    const result = await attemptChatCompletion({ ...endpoint, baseUrl: new URL(`${closed.url}/`) }, request, {
      signal: new AbortController().signal,
      onText: () => {},
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable', reason: 'unreachable' } });
  });
});

describe('retryAfterMs', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now + 4000).toUTCString() }), now)).toBe(4000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeNull();
    expect(retryAfterMs(new Headers())).toBeNull();
  });
});

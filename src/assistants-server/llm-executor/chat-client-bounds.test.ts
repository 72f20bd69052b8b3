import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attemptChatCompletion, type ModelEndpoint } from './chat-client';
import { MAX_EMPTY_EVENTS, type ModelLimits } from './model-limits';
import {
  HELLO_REQUEST,
  startScriptedChatServer,
  type ScriptedChatServer,
} from './test-support/scripted-chat-server';

const KEY = 'sk-test-secret-key-1234';
const LIMITS: ModelLimits = {
  maxAnswerBytes: 64 * 1024,
  maxToolCalls: 4,
  maxBodyBytes: 256 * 1024,
  maxLineBytes: 16 * 1024,
};

let model: ScriptedChatServer;
let endpoint: ModelEndpoint;
beforeAll(async () => {
  model = await startScriptedChatServer();
  // A long idle timeout: a bound that only the timeout enforced would make these tests fail on a timeout.
  endpoint = { baseUrl: new URL(`${model.url}/`), apiKey: KEY, idleTimeoutMs: 5_000, limits: LIMITS };
});
afterAll(() => model.close());
beforeEach(() => model.reset());

const request = HELLO_REQUEST;

async function attempt() {
  let streamed = '';
  const result = await attemptChatCompletion(endpoint, request, {
    signal: new AbortController().signal,
    onText: (text) => (streamed += text),
  });
  return { result, streamed };
}

function toolCallFrame(calls: Array<{ index: number; id?: string; name?: string; arguments?: string }>) {
  return {
    choices: [
      {
        index: 0,
        delta: {
          tool_calls: calls.map((call) => ({
            index: call.index,
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          })),
        },
      },
    ],
  };
}

describe('a model that misbehaves', () => {
  it('endless stream: the answer is cut at maxAnswerBytes and ends as length; the stream is left', async () => {
    model.script({ endless: 'Again and again € ' });
    const { result, streamed } = await attempt();
    expect(result).toMatchObject({ ok: true, completion: { finishReason: 'length' } });
    if (!result.ok) return;
    const bytes = Buffer.byteLength(result.completion.text);
    expect(bytes).toBeLessThanOrEqual(LIMITS.maxAnswerBytes);
    expect(bytes).toBeGreaterThan(LIMITS.maxAnswerBytes - 4);
    expect(result.completion.text).not.toContain('\uFFFD');
    expect(streamed).toBe(result.completion.text);
    await expect.poll(() => model.abandoned()).toBe(1);
  });

  it('endless line: a line with no newline fails the attempt once over maxLineBytes, not at the timeout', async () => {
    model.script({ endlessLine: true });
    const { result } = await attempt();
    expect(result).toMatchObject({
      ok: false,
      streamed: false,
      failure: {
        kind: 'unavailable',
        reason: 'broken',
        message: expect.stringContaining('line over 16384 bytes'),
      },
    });
    await expect.poll(() => model.abandoned()).toBe(1);
  });

  it('huge tool-call index: refused at once, no sparse list', async () => {
    model.script({
      frames: [toolCallFrame([{ index: 100_000_000, id: 'call_x', name: 'f', arguments: '{}' }])],
    });
    const { result } = await attempt();
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable', reason: 'broken', message: expect.stringContaining('tool calls') },
    });
  });

  it('a negative or fractional tool-call index is refused', async () => {
    model.script({ frames: [toolCallFrame([{ index: 1.5, name: 'f' }])] });
    expect((await attempt()).result).toMatchObject({
      ok: false,
      failure: { message: 'The model sent a tool call with index 1.5.' },
    });
  });

  it('more tool calls than maxToolCalls are refused; as many are accepted', async () => {
    const calls = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        index,
        id: `call_${index}`,
        name: 'f',
        arguments: '{}',
      }));
    model.script({ frames: [toolCallFrame(calls(4))] }, { frames: [toolCallFrame(calls(5))] });
    const accepted = (await attempt()).result;
    expect(accepted.ok && accepted.completion.toolCalls).toHaveLength(4);
    expect((await attempt()).result).toMatchObject({
      ok: false,
      failure: {
        message:
          'The model sent 5 or more tool calls; at most 4 are accepted in one answer (RUNBOARD_MODEL_MAX_TOOL_CALLS).',
      },
    });
  });

  it('events that add nothing, without end, break the stream', async () => {
    model.script({
      frames: Array.from({ length: MAX_EMPTY_EVENTS + 1 }, () => ({ choices: [{ index: 0, delta: {} }] })),
    });
    expect((await attempt()).result).toMatchObject({ ok: false, failure: { reason: 'broken' } });
  });

  it('key in a streamed error event: masked before anything keeps it', async () => {
    model.script({
      frames: [{ error: { message: `Incorrect API key provided: ${KEY}. Or sk-tes***1234.`, type: 'auth' } }],
    });
    const { result } = await attempt();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'unavailable', reason: 'broken' } });
    expect(JSON.stringify(result)).not.toContain('secret-key');
    expect(JSON.stringify(result)).not.toContain('1234');
  });

  it('a key cut in half by the message limit is still masked', async () => {
    model.script({ frames: [{ error: { message: `${'x'.repeat(490)} ${KEY}` } }] });
    const { result } = await attempt();
    expect(JSON.stringify(result)).not.toContain('sk-test');
  });

  it('huge error body: only its beginning is read, the rest left', async () => {
    model.script({ status: 500, bodyBytes: 50 * 1024 * 1024 });
    const { result } = await attempt();
    expect(result).toMatchObject({
      ok: false,
      status: 500,
      failure: { kind: 'unavailable', reason: 'status' },
    });
    if (!result.ok && 'message' in result.failure)
      expect(result.failure.message.length).toBeLessThanOrEqual(500);
    await expect.poll(() => model.abandoned()).toBe(1);
  });

  it('huge non-streamed JSON: refused once over maxBodyBytes, the rest left', async () => {
    model.script({ wholeBytes: 50 * 1024 * 1024 });
    const { result } = await attempt();
    expect(result).toMatchObject({
      ok: false,
      failure: {
        kind: 'unavailable',
        reason: 'broken',
        message: "The model's answer is over 262144 bytes (RUNBOARD_MODEL_MAX_BODY_BYTES).",
      },
    });
    await expect.poll(() => model.abandoned()).toBe(1);
  });

  it('a non-streamed answer over maxAnswerBytes (within maxBodyBytes) is cut and ends as length', async () => {
    model.script({ wholeBytes: 100 * 1024 });
    const { result } = await attempt();
    expect(result).toMatchObject({ ok: true, completion: { finishReason: 'length' } });
    expect(result.ok && result.completion.text.length).toBe(LIMITS.maxAnswerBytes);
  });
});

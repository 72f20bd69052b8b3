import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ChatCompletionRequest, ChatUsage } from '../chat-types';

/** One scripted answer of the fake model endpoint. */
export type ScriptedReply =
  | {
      /** The answer's text, streamed in `chunks` pieces (default: one per word). */
      text: string;
      chunks?: number;
      /** Wait before the first byte, and between chunks. */
      delayMs?: number;
      chunkDelayMs?: number;
      finishReason?: 'stop' | 'length' | 'content_filter';
      usage?: ChatUsage | null;
      /** Answer with one JSON completion instead of a stream (an upstream that ignores `stream: true`). */
      whole?: boolean;
    }
  | {
      toolCalls: Array<{ id?: string; name: string; arguments: string | Record<string, unknown> }>;
      text?: string;
      delayMs?: number;
      usage?: ChatUsage | null;
    }
  | {
      status: number;
      message?: string;
      /** `Retry-After` in seconds, and OpenAI's `retry-after-ms`. */
      retryAfter?: number;
      retryAfterMs?: number;
      delayMs?: number;
      /** An error body this many bytes long (a JSON message that never closes), written until the client leaves. */
      bodyBytes?: number;
    }
  /** Accept the request and never answer (until the client gives up or the server closes). */
  | { hang: true }
  /** Stream some text, then drop the connection. */
  | { breakAfter: string }
  /** Misbehaving upstreams. Stream `endless` as content again and again until the client leaves. */
  | { endless: string; chunkDelayMs?: number }
  /** One `data:` line that never ends: no newline, ever, until the client leaves. */
  | { endlessLine: true }
  /** These `data:` frames exactly as given (objects as JSON), then `[DONE]`. */
  | { frames: unknown[] }
  /** A non-streamed JSON completion whose text is this many bytes, written in pieces. */
  | { wholeBytes: number };

export interface RecordedRequest {
  body: ChatCompletionRequest;
  headers: Record<string, string | string[] | undefined>;
  path: string;
  receivedAt: number;
}

export interface ScriptedChatServer {
  /** The base URL to configure, ending in `/v1`. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queues replies, answered in order; once the queue is empty `fallback` answers. */
  script(...replies: ScriptedReply[]): void;
  /** Decides the answer when nothing is queued. */
  fallback: (request: ChatCompletionRequest) => ScriptedReply;
  /** Forgets the queued replies, the recorded requests and the abandoned count. */
  reset(): void;
  /** Requests being answered (or hanging) right now. */
  inFlight(): number;
  /** Answers the client left before they ended (it closed the connection mid-answer). */
  abandoned(): number;
  close(): Promise<void>;
}

/** A minimal chat request, for tests that call the client directly. */
export const HELLO_REQUEST: ChatCompletionRequest = {
  model: 'llama3.2',
  messages: [{ role: 'user', content: 'Hello there' }],
  stream: true,
  stream_options: { include_usage: true },
};

/** The default answer: text that quotes the last tool output or the last user message. */
export function echoReply(request: ChatCompletionRequest): ScriptedReply {
  const last = request.messages.at(-1);
  if (last?.role === 'tool') return { text: `The tool answered: ${last.content}` };
  const question = [...request.messages].reverse().find((message) => message.role === 'user');
  return { text: `You said: ${question?.content ?? 'nothing'}` };
}

/**
 * A chat-completions endpoint on a real loopback port that answers from a script and records what it was sent:
 * text (streamed in chunks, or whole), one or parallel tool calls, any HTTP error with `Retry-After`, a hang, a
 * broken stream, and `finish_reason` `length` or `content_filter`.
 */
export async function startScriptedChatServer(
  options: { fallback?: (request: ChatCompletionRequest) => ScriptedReply; port?: number } = {},
): Promise<ScriptedChatServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let active = 0;
  let completionSeq = 0;
  let abandoned = 0;

  const server = createServer((req, res) => {
    active++;
    res.on('close', () => {
      active--;
      if (!res.writableFinished) abandoned++;
    });
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const api: ScriptedChatServer = {
    url: '',
    requests,
    script: (...replies) => queue.push(...replies),
    fallback: options.fallback ?? echoReply,
    reset: () => {
      queue.splice(0);
      requests.splice(0);
      abandoned = 0;
    },
    inFlight: () => active,
    abandoned: () => abandoned,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      return json(res, 404, {
        error: { message: `Unknown route ${req.method} ${req.url}`, type: 'invalid_request_error' },
      });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionRequest;
    requests.push({ body, headers: { ...req.headers }, path: req.url, receivedAt: Date.now() });
    const reply = queue.shift() ?? api.fallback(body);
    const id = `chatcmpl-${++completionSeq}`;

    if ('hang' in reply) return;
    if ('delayMs' in reply && reply.delayMs) await sleep(reply.delayMs);
    if ('status' in reply && reply.bodyBytes !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.write('{"error":{"message":"');
      await pump(res, reply.bodyBytes, 'x');
      if (!res.destroyed) res.end('"}}');
      return;
    }
    if ('status' in reply) {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
      if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
      return json(
        res,
        reply.status,
        {
          error: { message: reply.message ?? `Scripted HTTP ${reply.status}`, type: 'scripted', code: null },
        },
        headers,
      );
    }
    if ('breakAfter' in reply) {
      startStream(res);
      sendChunk(res, id, body.model, { role: 'assistant', content: reply.breakAfter }, null);
      await sleep(5);
      res.destroy();
      return;
    }
    if ('endless' in reply) {
      startStream(res);
      while (!res.destroyed) {
        const frame = chunkFrame(id, body.model, { content: reply.endless }, null);
        if (!res.write(frame)) await drained(res);
        if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      }
      return;
    }
    if ('endlessLine' in reply) {
      startStream(res);
      res.write('data: {"choices":[{"index":0,"delta":{"content":"');
      return pump(res, Infinity, 'y');
    }
    if ('frames' in reply) {
      startStream(res);
      for (const frame of reply.frames) {
        res.write(`data: ${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n\n`);
      }
      res.end('data: [DONE]\n\n');
      return;
    }
    if ('wholeBytes' in reply) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(
        `{"id":"${id}","object":"chat.completion","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"`,
      );
      await pump(res, reply.wholeBytes, 'z');
      res.end('"}}]}');
      return;
    }
    if ('toolCalls' in reply) {
      const calls = reply.toolCalls.map((call, index) => ({
        index,
        id: call.id ?? `call_scripted_${completionSeq}_${index}`,
        type: 'function' as const,
        function: {
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        },
      }));
      startStream(res);
      if (reply.text) sendChunk(res, id, body.model, { role: 'assistant', content: reply.text }, null);
      for (const call of calls) {
        // Like OpenAI: the id and name first, then the arguments in two pieces.
        const half = Math.ceil(call.function.arguments.length / 2);
        sendChunk(
          res,
          id,
          body.model,
          {
            tool_calls: [
              {
                ...call,
                function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) },
              },
            ],
          },
          null,
        );
        sendChunk(
          res,
          id,
          body.model,
          {
            tool_calls: [{ index: call.index, function: { arguments: call.function.arguments.slice(half) } }],
          },
          null,
        );
      }
      const completion =
        calls.map((call) => call.function.name + call.function.arguments).join('') + (reply.text ?? '');
      sendChunk(res, id, body.model, {}, 'tool_calls');
      endStream(res, id, body.model, reply.usage === undefined ? usageFor(body, completion) : reply.usage);
      return;
    }
    const finish = reply.finishReason ?? 'stop';
    const usage = reply.usage === undefined ? usageFor(body, reply.text) : reply.usage;
    if (reply.whole) {
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: finish }],
        ...(usage ? { usage } : {}),
      });
    }
    startStream(res);
    for (const [index, piece] of split(reply.text, reply.chunks).entries()) {
      if (index > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      sendChunk(
        res,
        id,
        body.model,
        index === 0 ? { role: 'assistant', content: piece } : { content: piece },
        null,
      );
    }
    sendChunk(res, id, body.model, {}, finish);
    endStream(res, id, body.model, usage);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return api;
}

/** Deterministic usage: the prompt's characters and the answer's, four to a token, plus one token per message. */
export function usageFor(request: ChatCompletionRequest, completionText: string): ChatUsage {
  const promptChars = request.messages.reduce(
    (sum, message) =>
      sum +
      (message.content ?? '').length +
      (message.role === 'assistant'
        ? (message.tool_calls ?? []).reduce((n, call) => n + call.function.arguments.length, 0)
        : 0),
    0,
  );
  const prompt = Math.ceil(promptChars / 4) + request.messages.length;
  const completion = Math.max(1, Math.ceil(completionText.length / 4));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function split(text: string, chunks: number | undefined): string[] {
  if (text === '') return [''];
  if (chunks === undefined) return text.match(/\S+\s*|\s+/g) ?? [text];
  const size = Math.ceil(text.length / Math.max(1, chunks));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

function startStream(res: ServerResponse) {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
}

function sendChunk(
  res: ServerResponse,
  id: string,
  model: string,
  delta: Record<string, unknown>,
  finish: string | null,
) {
  res.write(chunkFrame(id, model, delta, finish));
}

function chunkFrame(
  id: string,
  model: string,
  delta: Record<string, unknown>,
  finish: string | null,
): string {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/** Writes `bytes` bytes of `letter` (Infinity: until the client leaves), 64 KiB at a time, minding backpressure. */
async function pump(res: ServerResponse, bytes: number, letter: string): Promise<void> {
  const block = letter.repeat(64 * 1024);
  for (let left = bytes; left > 0 && !res.destroyed; left -= block.length) {
    const piece = left >= block.length ? block : block.slice(0, left);
    if (!res.write(piece)) await drained(res);
  }
}

/** Resolves when the response can take more, or has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

function endStream(res: ServerResponse, id: string, model: string, usage: ChatUsage | null) {
  if (usage) {
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [], usage })}\n\n`,
    );
  }
  res.end('data: [DONE]\n\n');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

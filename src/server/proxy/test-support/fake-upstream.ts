import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake upstream saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves when the proxy's connection for this request closes (e.g. after an abort). */
  closed: Promise<void>;
}

export type UpstreamHandler = (request: SeenRequest, response: ServerResponse) => void;

export interface FakeUpstream {
  /** Base URL as OPENAI_BASE_URL would give it: `http://127.0.0.1:PORT/v1/`. */
  baseUrl: URL;
  requests: SeenRequest[];
  /** Resolves with the next request the upstream receives. */
  nextRequest(): Promise<SeenRequest>;
  handle(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

/** A node:http server on an ephemeral port standing in for an OpenAI-compatible upstream. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: SeenRequest[] = [];
  const waiters: ((request: SeenRequest) => void)[] = [];
  let handler: UpstreamHandler = (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}');
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const seen: SeenRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed: new Promise((resolve) => response.once('close', () => resolve())),
      };
      requests.push(seen);
      waiters.shift()?.(seen);
      handler(seen, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: new URL(`http://127.0.0.1:${port}/v1/`),
    requests,
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    handle: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function answerJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export interface EventStreamWriter {
  /** Writes one complete event (`event:` line, `data:` line, blank line) at once. */
  send(event: string, data: unknown): void;
  /** Writes raw text, e.g. half an event. */
  write(text: string): void;
  /** `event: done` / `data: [DONE]`, then the end of the answer. */
  done(): void;
  /** True once the upstream has ended its answer. */
  readonly finished: boolean;
}

/**
 * Answers with `text/event-stream` and hands the test the pen: each event goes out when the test says, so a stream
 * can be as slow as a test needs (a model thinking between tokens, or an upstream that stalls).
 */
export function openEventStream(
  response: ServerResponse,
  headers: Record<string, string> = {},
): EventStreamWriter {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  response.flushHeaders();
  return {
    send: (event, data) =>
      response.write(`event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`),
    write: (text) => response.write(text),
    done: () => response.end('event: done\ndata: [DONE]\n\n'),
    get finished() {
      return response.writableEnded;
    },
  };
}

/** Sends `count` events `intervalMs` apart, then `done`: a stream that lasts longer than any single wait in it. */
export function streamSlowly(response: ServerResponse, count: number, intervalMs: number): void {
  const writer = openEventStream(response);
  let sent = 0;
  const timer = setInterval(() => {
    if (response.destroyed) return clearInterval(timer);
    writer.send('thread.message.delta', {
      id: 'msg_1',
      object: 'thread.message.delta',
      delta: { content: [{ index: 0, type: 'text', text: { value: `piece ${sent} ` } }] },
    });
    sent += 1;
    if (sent === count) {
      clearInterval(timer);
      writer.done();
    }
  }, intervalMs);
}

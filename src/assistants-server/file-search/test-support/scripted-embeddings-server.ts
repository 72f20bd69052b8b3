import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer of the stand-in embeddings endpoint. */
export type EmbeddingsReply =
  /** Vectors for every input (`bagOfWords`), in order or reversed (`index` says where each belongs). */
  | { vectors: true; reversed?: boolean }
  | { status: number; message?: string; retryAfterMs?: number }
  /** One vector too few. */
  | { wrongCount: true }
  /** A JSON body cut in the middle. */
  | { brokenJson: true }
  /** A body that goes on for this many bytes (or until the client leaves). */
  | { hugeBytes: number }
  /** Never answer. */
  | { hang: true };

export interface EmbeddingsRequestRecord {
  model: string;
  input: string[];
  authorization: string | undefined;
}

export interface ScriptedEmbeddingsServer {
  /** The base URL, ending in `/v1/`. */
  url: string;
  requests: EmbeddingsRequestRecord[];
  script(...replies: EmbeddingsReply[]): void;
  /** Forgets the queued replies and the recorded requests. */
  reset(): void;
  /** Answers that the client left before they ended. */
  abandoned(): number;
  close(): Promise<void>;
}

export const STAND_IN_DIMENSIONS = 64;

/**
 * A deterministic embedding of a text: its lower-cased words hashed into `STAND_IN_DIMENSIONS` buckets. Texts that
 * share words point the same way, so a search with it behaves like a (crude) semantic one.
 */
export function bagOfWords(text: string): number[] {
  const vector = new Array<number>(STAND_IN_DIMENSIONS).fill(0);
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    let hash = 2166136261;
    for (let index = 0; index < word.length; index++)
      hash = Math.imul(hash ^ word.charCodeAt(index), 16777619);
    vector[(hash >>> 0) % STAND_IN_DIMENSIONS]! += 1;
  }
  return vector;
}

/** An OpenAI-compatible `POST /v1/embeddings` on a loopback port that answers from a script (default: vectors). */
export async function startScriptedEmbeddingsServer(): Promise<ScriptedEmbeddingsServer> {
  const queue: EmbeddingsReply[] = [];
  const requests: EmbeddingsRequestRecord[] = [];
  const sockets = new Set<Socket>();
  let abandoned = 0;
  const server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) abandoned++;
    });
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: `Unknown route ${req.method} ${req.url}` } }));
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string[] };
    requests.push({ model: body.model, input: body.input, authorization: req.headers.authorization });
    const reply = queue.shift() ?? { vectors: true };
    if ('hang' in reply) return;
    if ('status' in reply) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
      res.writeHead(reply.status, headers);
      return res.end(
        JSON.stringify({ error: { message: reply.message ?? `Scripted HTTP ${reply.status}` } }),
      );
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if ('brokenJson' in reply) return res.end('{"object":"list","data":[{"index":0,"embedding":[0.1,');
    if ('hugeBytes' in reply) {
      res.write('{"object":"list","data":[{"index":0,"embedding":[');
      const piece = Buffer.from('0.123456789,'.repeat(5_000));
      for (let sent = 0; sent < reply.hugeBytes && !res.destroyed; sent += piece.byteLength) {
        if (!res.write(piece)) await drainedOrClosed(res);
      }
      return res.end();
    }
    const inputs = 'wrongCount' in reply ? body.input.slice(1) : body.input;
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: bagOfWords(text) }));
    if ('reversed' in reply && reply.reversed) data.reverse();
    res.end(
      JSON.stringify({
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: inputs.length * 3 },
      }),
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/`,
    requests,
    script: (...replies) => queue.push(...replies),
    reset: () => {
      queue.splice(0);
      requests.splice(0);
    },
    abandoned: () => abandoned,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

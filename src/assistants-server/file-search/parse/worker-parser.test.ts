import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTO_CHUNKING, chunkText } from '../chunking';
import { FileSearch } from '../file-search';
import type { ChunkIndex } from '../chunk-index';
import { SqliteChunkIndex } from '../sqlite-chunk-index';
import { openDatabase } from '../../store/database';
import { HOLDING_PARSE_WORKER, holdingParses } from '../test-support/holding-parses';
import { DOCX_PARAGRAPHS, PDF_PAGES } from '../test-support/make-fixtures';
import { ParserStoppedError } from './file-parser';
import { DEFAULT_PARSE_LIMITS, parseFile } from './parse-file';
import { FileParseError } from './parse-errors';
import { WorkerParser, type WorkerParserOptions } from './worker-parser';

const fixture = (name: string) => readFileSync(new URL(`../test-support/fixtures/${name}`, import.meta.url));
const limits = DEFAULT_PARSE_LIMITS;
const parsers: WorkerParser[] = [];

function parser(options: Partial<WorkerParserOptions> = {}): WorkerParser {
  const created = new WorkerParser({ size: 1, maxWaiting: 2, ...options });
  parsers.push(created);
  return created;
}

async function failure(task: Promise<unknown>): Promise<unknown> {
  return task.then(
    () => new Error('it did not fail'),
    (error: unknown) => error,
  );
}

afterEach(async () => {
  await Promise.all(parsers.splice(0).map((created) => created.close()));
});

describe('WorkerParser: parsing in worker threads', () => {
  it('parses a PDF and a Word document as this thread does, and cuts the same chunks', async () => {
    const workers = parser();
    const pdf = await workers.parse({ filename: 'report.pdf', bytes: fixture('report.pdf') }, limits);
    expect(pdf).toEqual(await parseFile(fixture('report.pdf'), 'report.pdf'));
    for (const line of PDF_PAGES.flat()) expect(pdf.text).toContain(line);
    const docx = await workers.parseAndChunk(
      { filename: 'handbook.docx', bytes: fixture('handbook.docx') },
      { limits, chunking: AUTO_CHUNKING, maxTokens: 1_000 },
    );
    const text = (await parseFile(fixture('handbook.docx'), 'handbook.docx')).text;
    expect(docx).toEqual({ parsed: { kind: 'docx', pages: null }, chunks: chunkText(text, AUTO_CHUNKING) });
    expect(docx.chunks[0]!.text).toContain(DOCX_PARAGRAPHS[1]);
    // The caller's bytes are copied before they are moved to the worker: still whole here.
    const bytes = fixture('report.pdf');
    await workers.parse({ filename: 'report.pdf', bytes }, limits);
    expect(bytes.byteLength).toBe(fixture('report.pdf').byteLength);
  });

  it("refuses a file's own problems as before: unsupported, broken, too many tokens", async () => {
    const workers = parser();
    const broken = await failure(
      workers.parse({ filename: 'cut.pdf', bytes: fixture('report.pdf').subarray(0, 200) }, limits),
    );
    expect(broken).toBeInstanceOf(FileParseError);
    expect(broken).toMatchObject({ code: 'invalid_file', message: expect.stringMatching(/as a PDF/) });
    const tooLong = await failure(
      workers.parseAndChunk(
        { filename: 'long.txt', bytes: new TextEncoder().encode('word '.repeat(500)) },
        { limits, chunking: AUTO_CHUNKING, maxTokens: 100 },
      ),
    );
    expect(tooLong).toMatchObject({ code: 'invalid_file', message: expect.stringMatching(/tokens/) });
  });

  it('a parser that throws fails that file only, as server_error, and the next file parses', async () => {
    const throwing = parser({ entry: new URL('../test-support/throwing-parse-worker.ts', import.meta.url) });
    const error = await failure(throwing.parse({ filename: 'a.txt', bytes: new Uint8Array([97]) }, limits));
    expect(error).toBeInstanceOf(ParserStoppedError);
    expect((error as Error).message).toContain('The parser broke on a.txt.');

    const engine = new FileSearch({ index: noIndex(), embeddings: null, parser: throwing });
    expect(
      await engine.index({
        vectorStoreId: 'vs_1',
        fileId: 'file-1',
        filename: 'a.txt',
        bytes: new Uint8Array([97]),
      }),
    ).toEqual({
      status: 'failed',
      lastError: { code: 'server_error', message: expect.stringContaining('The parser broke on a.txt.') },
    });
  });

  it('a worker that dies (out of its heap) fails that file only, and a new worker parses the next', async () => {
    const workers = parser({ maxHeapMb: 128 });
    const huge = new TextEncoder().encode('many words '.repeat(5_000_000));
    const engine = new FileSearch({
      index: noIndex(),
      embeddings: null,
      parser: workers,
      parseLimits: { maxChars: 100_000_000 },
    });
    const outcome = await engine.index({
      vectorStoreId: 'vs_1',
      fileId: 'file-1',
      filename: 'huge.txt',
      bytes: huge,
    });
    expect(outcome).toMatchObject({ status: 'failed', lastError: { code: 'server_error' } });
    expect((outcome as { lastError: { message: string } }).lastError.message).toMatch(
      /^The file could not be parsed: The runboard-parse worker/,
    );
    // The next file, small enough for the same bound, in the worker that replaced the dead one.
    const next = await workers.parse(
      { filename: 'small.txt', bytes: new TextEncoder().encode('still here') },
      limits,
    );
    expect(next.text).toBe('still here');
    expect(workers.stats).toEqual({ workers: 1, running: 0, waiting: 0 });
  });

  it('bounds the files waiting for a worker: past the bound a parse is refused', async () => {
    const workers = parser({ size: 1, maxWaiting: 1 });
    const file = { filename: 'report.pdf', bytes: fixture('report.pdf') };
    const first = workers.parse(file, limits);
    const second = workers.parse(file, limits);
    const third = await failure(workers.parse(file, limits));
    expect(third).toBeInstanceOf(ParserStoppedError);
    expect((third as Error).message).toMatch(/busy: 1 running and 1 waiting/);
    expect((await first).pages).toBe(2);
    expect((await second).pages).toBe(2);
  });

  it('ends a running parse past its time bound (invalid_file), counted from its worker being ready', async () => {
    const holding = holdingParses();
    try {
      // The worker's start-up (500 ms and tsx) is past the 300 ms bound: it must not count.
      const slow = parser({ timeoutMs: 300, entry: HOLDING_PARSE_WORKER });
      const late = failure(
        slow.parse({ filename: 'held.txt', bytes: new TextEncoder().encode('held') }, limits),
      );
      expect(await Promise.race([holding.next(), late.then(() => 'cut before it ran')])).toBe('held.txt');
      expect(await late).toMatchObject({
        code: 'invalid_file',
        message: 'The file could not be parsed within 300 ms.',
      });
    } finally {
      holding.close();
    }
  });

  it('ends a running parse whose signal aborts (a content request whose client left), freeing its worker', async () => {
    const holding = holdingParses();
    try {
      const workers = parser({ entry: HOLDING_PARSE_WORKER });
      const left = new AbortController();
      const parse = failure(
        workers.parse({ filename: 'left.txt', bytes: new TextEncoder().encode('left') }, limits, left.signal),
      );
      expect(await holding.next()).toBe('left.txt');
      left.abort('the client left');
      expect(workers.stats).toMatchObject({ running: 0, workers: 0 });
      expect(await parse).toBe('the client left');
    } finally {
      holding.close();
    }
  });

  it('ends a cancelled parse (the signal)', async () => {
    const workers = parser();
    const controller = new AbortController();
    const engine = new FileSearch({ index: noIndex(), embeddings: null, parser: workers });
    const indexing = engine.index({
      vectorStoreId: 'vs_1',
      fileId: 'file-1',
      filename: 'report.pdf',
      bytes: fixture('report.pdf'),
      signal: controller.signal,
    });
    controller.abort('cancelled');
    expect(await indexing).toEqual({ status: 'cancelled' });
  });
});

/** An index the failing files never reach. */
function noIndex(): ChunkIndex {
  return new SqliteChunkIndex(openDatabase(':memory:'));
}

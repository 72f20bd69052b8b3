import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmulatorApiError } from '../api-error';
import type { EmbeddingSettings } from './embeddings';
import { FileSearch, MAX_QUERY_CHARS } from './file-search';
import { SqliteChunkIndex } from './sqlite-chunk-index';
import {
  startScriptedEmbeddingsServer,
  type ScriptedEmbeddingsServer,
} from './test-support/scripted-embeddings-server';

const fixture = (name: string) => readFileSync(new URL(`./test-support/fixtures/${name}`, import.meta.url));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A small corpus of unlike files; each query below has one right file. */
const CORPUS: Array<{ fileId: string; filename: string; bytes: Uint8Array }> = [
  { fileId: 'file_report', filename: 'report.pdf', bytes: fixture('report.pdf') },
  { fileId: 'file_handbook', filename: 'handbook.docx', bytes: fixture('handbook.docx') },
  {
    fileId: 'file_recipes',
    filename: 'recipes.md',
    bytes: utf8('# Soups\n\nThe tomato soup simmers for forty minutes with basil and garlic.\n'),
  },
  {
    fileId: 'file_deploy',
    filename: 'deploy.html',
    bytes: utf8(
      '<h1>Deploying</h1><p>Run the migration script before the deploy; roll back with the previous tag.</p>',
    ),
  },
  {
    fileId: 'file_prices',
    filename: 'prices.csv',
    bytes: utf8('item,price\nturbine blade,12000\ndiesel pump,800\n'),
  },
];

const QUERIES: Array<[string, string]> = [
  ['How often are the turbines inspected?', 'file_report'],
  ['What does a new engineer get on the first day?', 'file_handbook'],
  ['How long does the tomato soup simmer?', 'file_recipes'],
  ['How do I roll back a deploy?', 'file_deploy'],
  ['What is the price of a turbine blade?', 'file_prices'],
  ['revenue growth in the third quarter', 'file_report'],
];

async function indexCorpus(search: FileSearch) {
  for (const file of CORPUS) {
    const outcome = await search.index({ vectorStoreId: 'vs_docs', ...file });
    expect(outcome.status, file.filename).toBe('completed');
  }
}

let server: ScriptedEmbeddingsServer;
beforeAll(async () => {
  server = await startScriptedEmbeddingsServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const embeddings = (): EmbeddingSettings => ({
  endpoint: { baseUrl: new URL(server.url), apiKey: null, idleTimeoutMs: 2_000 },
  model: 'nomic-embed-text',
  batchSize: 16,
  maxResponseBytes: 1_000_000,
  maxDimensions: 1_024,
  retry: { maxRetries: 0, backoffMs: () => 1 },
  batchDeadlineMs: 10_000,
});

describe('FileSearch without a model (lexical)', () => {
  it.each(QUERIES)('%s → the right file first', async (query, fileId) => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: null,
    });
    await indexCorpus(search);
    const { hits, mode } = await search.search(['vs_docs'], query);
    expect(mode).toBe('lexical');
    expect(hits[0]?.fileId).toBe(fileId);
  });

  it('writes nothing for a processing older than the chunks held: superseded', async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: null,
    });
    const file = (text: string, generation: number) =>
      search.index({ vectorStoreId: 'vs', fileId: 'f1', filename: 'a.txt', bytes: utf8(text), generation });
    expect(await file('The pump was replaced in May.', 2)).toMatchObject({ status: 'completed' });
    expect(await file('The pump is original.', 1)).toEqual({ status: 'cancelled', superseded: true });
    const { hits } = await search.search(['vs'], 'pump');
    expect(hits.map((hit) => hit.text)).toEqual(['The pump was replaced in May.']);
  });

  it('reports what indexing a file produced, and how a refused file failed', async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: null,
    });
    expect(
      await search.index({
        vectorStoreId: 'vs',
        fileId: 'f1',
        filename: 'report.pdf',
        bytes: fixture('report.pdf'),
      }),
    ).toEqual({
      status: 'completed',
      chunks: 1,
      tokens: expect.any(Number),
      usageBytes: expect.any(Number),
      pages: 2,
    });
    expect(
      await search.index({ vectorStoreId: 'vs', fileId: 'f2', filename: 'photo.png', bytes: utf8('x') }),
    ).toEqual({
      status: 'failed',
      lastError: {
        code: 'unsupported_file',
        message:
          'Files with extensions [.png] are not supported for retrieval. See https://platform.openai.com/docs/assistants/tools/file-search#supported-files',
      },
    });
    expect(
      await search.index({
        vectorStoreId: 'vs',
        fileId: 'f3',
        filename: 'a.txt',
        bytes: utf8('word '.repeat(500)),
        chunking: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 } },
      }),
    ).toMatchObject({ status: 'completed', chunks: 5 });
  });

  it('fuses several queries, and applies max_num_results and score_threshold', async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: null,
    });
    await indexCorpus(search);
    const { hits } = await search.search(['vs_docs'], ['tomato soup', 'roll back deploy'], {
      maxNumResults: 2,
    });
    expect(new Set(hits.map((hit) => hit.fileId))).toEqual(new Set(['file_recipes', 'file_deploy']));
    const strict = await search.search(['vs_docs'], 'the tomato soup', {
      rankingOptions: { score_threshold: 0.3 },
    });
    expect(strict.hits.map((hit) => hit.fileId)).toEqual(['file_recipes']);
    expect((await search.search(['vs_other'], 'tomato')).hits).toEqual([]);
  });

  it('refuses bad search options and queries with a 400', async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: null,
    });
    await expect(search.search(['vs'], 'x', { maxNumResults: 51 })).rejects.toBeInstanceOf(EmulatorApiError);
    await expect(search.search(['vs'], 'x', { rankingOptions: { ranker: 'none' } })).rejects.toThrow(
      /Supported values/,
    );
    await expect(search.search(['vs'], '  ')).rejects.toThrow(/^Invalid 'query'/);
    await expect(search.search(['vs'], Array(11).fill('x'))).rejects.toThrow(/1 to 10/);
  });

  it(`reads the first ${MAX_QUERY_CHARS.toLocaleString('en')} characters of a query`, async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: null,
    });
    await indexCorpus(search);
    const padding = 'x'.repeat(MAX_QUERY_CHARS - 1);
    expect((await search.search(['vs_docs'], `${padding} tomato`)).hits).toEqual([]);
    expect((await search.search(['vs_docs'], `tomato ${padding}`)).hits[0]!.fileId).toBe('file_recipes');
  });
});

describe('FileSearch with an embedding model (hybrid)', () => {
  it.each(QUERIES)('%s → the right file first', async (query, fileId) => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: embeddings(),
    });
    await indexCorpus(search);
    const { hits, mode, embeddingError } = await search.search(['vs_docs'], query);
    expect({ mode, embeddingError }).toEqual({ mode: 'hybrid', embeddingError: null });
    expect(hits[0]?.fileId).toBe(fileId);
    // The chunks were embedded when indexed, and the query when searched.
    expect(server.requests.at(-1)!.input).toEqual([query]);
  });

  it('scores 1 a chunk first by words and by embedding; by words alone it keeps its bm25 score', async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: embeddings(),
    });
    await indexCorpus(search);
    const lexicalOnly = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: null,
    });
    await indexCorpus(lexicalOnly);
    const query = 'simmers basil garlic minutes';
    const hybrid = await search.search(['vs_docs'], query);
    const lexical = await lexicalOnly.search(['vs_docs'], query);
    expect(hybrid.hits[0]!.fileId).toBe('file_recipes');
    expect(hybrid.hits[0]!.score).toBe(1);
    expect(lexical.hits[0]!.score).toBeLessThan(1);
  });

  it('fails a file whose chunks cannot be embedded, and searches by words when the query cannot be', async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: embeddings(),
    });
    server.script({ status: 503, message: 'overloaded' });
    expect(
      await search.index({ vectorStoreId: 'vs', fileId: 'f', filename: 'a.md', bytes: utf8('tomato soup') }),
    ).toEqual({
      status: 'failed',
      lastError: {
        code: 'server_error',
        message: "The file's chunks could not be embedded: Sorry, something went wrong.",
      },
    });
    await indexCorpus(search);
    server.script({ status: 404, message: 'no such model' });
    const outcome = await search.search(['vs_docs'], 'tomato soup');
    expect(outcome.mode).toBe('lexical');
    expect(outcome.embeddingError).toMatch(/HTTP 404/);
    expect(outcome.hits[0]!.fileId).toBe('file_recipes');
  });

  it('answers cancelled when the caller aborts while chunks are embedded', async () => {
    const search = new FileSearch({
      index: new SqliteChunkIndex(new Database(':memory:')),
      embeddings: embeddings(),
    });
    server.script({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(
      await search.index({
        vectorStoreId: 'vs',
        fileId: 'f',
        filename: 'a.md',
        bytes: utf8('tomato'),
        signal: controller.signal,
      }),
    ).toEqual({ status: 'cancelled' });
    await expect.poll(() => server.requests.length).toBe(1);
  });
});

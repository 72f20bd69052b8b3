import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChunkToStore } from '../assistants-server/file-search/chunk-index';
import { FileSearch } from '../assistants-server/file-search/file-search';
import { fuseRankings } from '../assistants-server/file-search/rank';
import { SqliteChunkIndex } from '../assistants-server/file-search/sqlite-chunk-index';
import { mulberry32 } from '../assistants-server/emulation/faults/fault-random';
import { buildPdf } from '../assistants-server/file-search/test-support/make-fixtures';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { round, summarize } from './harness/stats';
import { loadAverage, sentence, Timing, vocabulary } from './harness/search-corpus';

const GROUP = 'File search';
const CHUNKS = 10_000;
/** Words per stored chunk: about 800 o200k tokens of English-like text, as `auto` chunking makes them. */
const WORDS_PER_CHUNK = 600;
const PDF_PAGES = 200;
const SEARCH_TARGET_MS = 200;
/** nomic-embed-text's dimension. */
const DIMENSIONS = 768;

/**
 * The file-search engine in process, on a SQLite file: indexing throughput of a generated PDF (parse, chunk, store;
 * no embeddings: a model's speed is its own), then search latency over 10,000 chunks of one store: by words
 * (FileSearch.search with no model), the vector scan (768-dimension Float32, cosine in the app), and both fused.
 */
export async function measureFileSearch(context: Pick<BenchContext, 'log' | 'durations'>): Promise<Figure[]> {
  const directory = mkdtempSync(join(tmpdir(), 'runboard-bench-file-search-'));
  const db = new Database(join(directory, 'file-search.sqlite'));
  db.pragma('journal_mode = WAL');
  try {
    const rssBefore = process.memoryUsage().rss;
    const random = mulberry32(7);
    const words = vocabulary(random);
    const index = new SqliteChunkIndex(db);
    const engine = new FileSearch({ index, embeddings: null });

    context.log(`file search: indexing a ${PDF_PAGES}-page PDF`);
    const pages = Array.from({ length: PDF_PAGES }, () =>
      Array.from({ length: 40 }, () => sentence(words, random, 10)),
    );
    const pdf = buildPdf(pages);
    const runs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const outcome = await engine.index({
        vectorStoreId: 'vs_pdf',
        fileId: `file_${run}`,
        filename: 'long.pdf',
        bytes: pdf,
      });
      if (outcome.status !== 'completed') throw new Error(`indexing failed: ${JSON.stringify(outcome)}`);
      runs.push(performance.now() - started);
    }
    const indexMs = summarize(runs).p50 ?? 0;

    context.log(
      `file search: storing ${CHUNKS.toLocaleString('en')} chunks with ${DIMENSIONS}-dimension vectors`,
    );
    const fillStarted = performance.now();
    for (let file = 0; file < CHUNKS / 100; file++) {
      const chunks: ChunkToStore[] = Array.from({ length: 100 }, () => ({
        text: sentence(words, random, WORDS_PER_CHUNK),
        tokens: 800,
        embedding: Float32Array.from({ length: DIMENSIONS }, () => random() - 0.5),
      }));
      await index.putFile({
        vectorStoreId: 'vs_big',
        fileId: `file_${file}`,
        filename: `doc-${file}.txt`,
        chunks,
      });
    }
    const fillMs = performance.now() - fillStarted;

    const samples = context.durations.latencySamples >= 1_000 ? 300 : 60;
    const queries = Array.from({ length: samples }, () => `what is the ${sentence(words, random, 6)}?`);
    const timings = { lexical: new Timing(), vector: new Timing(), hybrid: new Timing() };
    for (const query of queries) {
      const vector = Float32Array.from({ length: DIMENSIONS }, () => random() - 0.5);
      const lexical = await timings.lexical.time(() =>
        engine.search(['vs_big'], query, { maxNumResults: 20 }),
      );
      const nearest = await timings.vector.time(() => index.searchVectors(['vs_big'], vector, { limit: 80 }));
      await timings.hybrid.time(async () => {
        const words80 = await index.searchText(['vs_big'], query, { limit: 80 });
        const nearest80 = await index.searchVectors(['vs_big'], vector, { limit: 80 });
        return fuseRankings([words80, nearest80], { maxNumResults: 20, scoreThreshold: 0 });
      });
      if (lexical.hits.length === 0 || nearest.length === 0) throw new Error(`no hits for ${query}`);
    }
    const rssAfter = process.memoryUsage().rss;
    const lexical = summarize(timings.lexical.wallMs);
    const vector = summarize(timings.vector.wallMs);
    const hybrid = summarize(timings.hybrid.wallMs);
    const size = `${CHUNKS.toLocaleString('en')} chunks of ${WORDS_PER_CHUNK} words in one store, SQLite file (WAL)`;
    const loadNow = loadAverage();
    return [
      {
        group: GROUP,
        name: 'Indexing throughput, PDF (parse, chunk 800/400, store; no embeddings)',
        value: round((PDF_PAGES / indexMs) * 1000),
        unit: 'pages/s',
        detail: `${PDF_PAGES} pages of 40 lines, ${Math.round(pdf.byteLength / 1024)} KB; median of 3: ${round(indexMs)} ms; ${loadNow}`,
      },
      {
        group: GROUP,
        name: `Storing ${CHUNKS.toLocaleString('en')} chunks with vectors (FTS5 + Float32 blobs)`,
        value: round((CHUNKS / fillMs) * 1000),
        unit: 'chunks/s',
        detail: `100 files of 100 chunks, one transaction each, ${DIMENSIONS} dimensions; ${round(fillMs)} ms in all`,
      },
      {
        group: GROUP,
        name: 'Search p95 at 10,000 chunks, by words (no model)',
        value: round(lexical.p95 ?? 0),
        unit: 'ms',
        target: { comparison: '<=', value: SEARCH_TARGET_MS },
        detail: `${size}; FileSearch.search, max_num_results 20, ${lexical.count} questions of 9 words; p50 ${round(lexical.p50 ?? 0)} ms; ${timings.lexical.cpu()}; ${loadNow}`,
      },
      {
        group: GROUP,
        name: `Vector scan p95 at 10,000 chunks (${DIMENSIONS} dimensions)`,
        value: round(vector.p95 ?? 0),
        unit: 'ms',
        target: { comparison: '<=', value: SEARCH_TARGET_MS },
        detail: `${size}; top 80 by cosine, batches of 2,048 rows; p50 ${round(vector.p50 ?? 0)} ms; ${timings.vector.cpu()}; ${loadNow}`,
      },
      {
        group: GROUP,
        name: 'Hybrid search p95 at 10,000 chunks (words + vectors, RRF; query embedding not included)',
        value: round(hybrid.p95 ?? 0),
        unit: 'ms',
        target: { comparison: '<=', value: SEARCH_TARGET_MS },
        detail: `${size}; 80 candidates per list; p50 ${round(hybrid.p50 ?? 0)} ms; ${timings.hybrid.cpu()}; the embedding call adds the model's own latency; ${loadNow}`,
      },
      {
        group: GROUP,
        name: 'Resident memory growth: indexing, 10,000 chunks stored, searched (vector cache filled)',
        value: round((rssAfter - rssBefore) / 1024 / 1024),
        unit: 'MB',
        detail: `the bench process's RSS before the first index and after the last search; the cached vectors are ${round((CHUNKS * DIMENSIONS * 4) / 1024 / 1024)} MB of it`,
      },
    ];
  } finally {
    db.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

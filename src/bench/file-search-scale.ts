import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { ChunkHit, ChunkIndex, ChunkToStore } from '../assistants-server/file-search/chunk-index';
import { fuseRankings } from '../assistants-server/file-search/rank';
import { createLogger } from '../platform/logger';
import { SqliteChunkIndex } from '../assistants-server/file-search/sqlite-chunk-index';
import { mulberry32 } from '../assistants-server/emulation/faults/fault-random';
import { PostgresChunkIndex } from '../assistants-server/store/postgres/file-search/postgres-chunk-index';
import { migrate } from '../assistants-server/store/postgres/migrations/migrate';
import { connectToServer } from '../assistants-server/store/postgres/server-client';
import type { SqlClient } from '../assistants-server/store/postgres/sql-client';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { loadAverage, sentence, Timing, vocabulary } from './harness/search-corpus';
import { round, summarize } from './harness/stats';

const GROUP = 'File search at 1,000,000 chunks';
/** `BENCH_FILE_SEARCH_CHUNKS`: chunks stored (one store), 1,000 a file. */
const CHUNKS = Number(process.env.BENCH_FILE_SEARCH_CHUNKS ?? 1_000_000);
const CHUNKS_PER_FILE = 1_000;
/**
 * Static chunking's smallest size (100 tokens, about 75 words): 1,000,000 chunks of `auto`'s 800 tokens would be
 * 4 GB of text to index on a shared 2-core machine. Posting lists grow with the chunk count, not their length.
 */
const WORDS_PER_CHUNK = 75;
const SEARCH_TARGET_MS = 200;
/**
 * `BENCH_FILE_SEARCH_DIMS` (default 256; 0: words only): each chunk's vector, stored as the server stores them
 * (unit Float32). 256 is what `text-embedding-3-*` answers with `dimensions: 256` and `nomic-embed-text`'s
 * Matryoshka size: 1,000,000 of them are 1 GB (768 dimensions would be 3 GB).
 */
const DIMENSIONS = Number(process.env.BENCH_FILE_SEARCH_DIMS ?? 256);

interface Engine {
  name: string;
  index: ChunkIndex;
  /** After the fill: statistics, checkpoints. */
  settle(): Promise<void>;
  /** CPU time the engine spent outside this process (a PostgreSQL backend's), in ms, when it can be read. */
  outsideCpuMs(): number | null;
  /** Chunks are stored with vectors of `DIMENSIONS` (SQLite). */
  storesVectors: boolean;
  /** The same data searched by words in a worker thread (SQLite), or null. */
  withSearchWorker(): ChunkIndex | null;
  /** The same data with a vector cache of this many bytes (vectors are measured on SQLite only), or null. */
  withVectorCache(bytes: number): ChunkIndex | null;
  size(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The lexical search at a million chunks of one store (issue 22's scale figure), on SQLite and, with
 * `BENCH_DATABASE_URL`, on PostgreSQL (a database created and dropped): storing throughput, then search p50/p95 of
 * 9-word questions by words, as `FileSearch.search` asks the index (80 candidates). Vectors are not part of it: a
 * million 768-dimension vectors are 3 GB, scanned in the app at every query (see file-search/README.md).
 */
export async function measureFileSearchAtScale(
  context: Pick<BenchContext, 'log' | 'durations'>,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const engines: Array<() => Promise<Engine>> = [openSqlite];
  const adminUrl = process.env.BENCH_DATABASE_URL?.trim();
  if (adminUrl) engines.push(() => openPostgres(adminUrl));
  else {
    figures.push({
      group: GROUP,
      name: 'PostgreSQL',
      value: null,
      unit: 'ms',
      notes:
        'not measured: set BENCH_DATABASE_URL to a PostgreSQL server (a database is created and dropped)',
    });
  }
  for (const open of engines) {
    const engine = await open();
    try {
      figures.push(...(await measureEngine(engine, context)));
    } finally {
      await engine.close();
    }
  }
  return figures;
}

async function measureEngine(
  engine: Engine,
  context: Pick<BenchContext, 'log' | 'durations'>,
): Promise<Figure[]> {
  const random = mulberry32(11);
  const words = vocabulary(random);
  const rssBefore = process.memoryUsage().rss;
  const fill = new Timing();
  const fillStarted = performance.now();
  for (let file = 0; file < CHUNKS / CHUNKS_PER_FILE; file++) {
    const chunks: ChunkToStore[] = Array.from({ length: CHUNKS_PER_FILE }, () => ({
      text: sentence(words, random, WORDS_PER_CHUNK),
      tokens: 100,
      embedding: engine.storesVectors ? randomVector(random, DIMENSIONS) : null,
    }));
    await fill.time(() =>
      engine.index.putFile({
        vectorStoreId: 'vs_big',
        fileId: `file_${file}`,
        filename: `doc-${file}.txt`,
        chunks,
      }),
    );
    if (file % 100 === 99) {
      context.log(
        `file search at scale, ${engine.name}: ${((file + 1) * CHUNKS_PER_FILE).toLocaleString('en')} chunks`,
      );
    }
  }
  const fillMs = performance.now() - fillStarted;
  const fillLoad = loadAverage();
  await engine.settle();
  context.log(`file search at scale, ${engine.name}: stored; searching`);

  const samples = context.durations.latencySamples >= 1_000 ? 200 : 40;
  const queries = Array.from({ length: samples }, () => `what is the ${sentence(words, random, 6)}?`);
  const search = new Timing();
  const outside: number[] = [];
  let hits = 0;
  const loopDelay = eventLoopDelay();
  for (const query of queries) {
    const before = engine.outsideCpuMs();
    const found = await search.time(() => engine.index.searchText(['vs_big'], query, { limit: 80 }));
    await nextTurn();
    const after = engine.outsideCpuMs();
    if (before !== null && after !== null) outside.push(after - before);
    hits += found.length;
  }
  const wordsLoopDelay = loopDelay.stop();
  const rssAfter = process.memoryUsage().rss;
  const wall = summarize(search.wallMs);
  const outsideCpu = outside.length
    ? `; the PostgreSQL backend's CPU time p50 ${round(summarize(outside).p50 ?? 0)} ms, p95 ${round(summarize(outside).p95 ?? 0)} ms (10 ms ticks)`
    : '';
  const size = `${CHUNKS.toLocaleString('en')} chunks of ${WORDS_PER_CHUNK} words in one store, ${await engine.size()}`;
  return [
    {
      group: GROUP,
      name: `${engine.name}: storing ${CHUNKS.toLocaleString('en')} chunks (words only)`,
      value: round((CHUNKS / fillMs) * 1000),
      unit: 'chunks/s',
      detail: `files of ${CHUNKS_PER_FILE.toLocaleString('en')} chunks, one transaction each; ${round(fillMs / 1000)} s in all; ${fill.cpu()} per file in this process; ${fillLoad}`,
    },
    {
      group: GROUP,
      name: `${engine.name}: search p95 at ${CHUNKS.toLocaleString('en')} chunks, by words`,
      value: round(wall.p95 ?? 0),
      unit: 'ms',
      target: { comparison: '<=', value: SEARCH_TARGET_MS },
      detail: `${size}; searchText, 80 candidates, ${wall.count} questions of 9 words (${round(hits / wall.count)} hits each); p50 ${round(wall.p50 ?? 0)} ms; ${search.cpu()} in this process${outsideCpu}; the event loop held up to ${wordsLoopDelay}; ${loadAverage()}`,
    },
    ...(await measureSearchWorker(engine, queries)),
    ...(await measureVectors(engine, queries, random)),
    {
      group: GROUP,
      name: `${engine.name}: resident memory growth, storing and searching`,
      value: round((rssAfter - rssBefore) / 1024 / 1024),
      unit: 'MB',
      detail: "the bench process's RSS (the database server's memory is its own)",
    },
  ];
}

async function openSqlite(): Promise<Engine> {
  const directory = mkdtempSync(join(tmpdir(), 'runboard-bench-file-search-1m-'));
  const path = join(directory, 'file-search.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const index = new SqliteChunkIndex(db);
  const others: SqliteChunkIndex[] = [];
  return {
    name: 'SQLite',
    index,
    async settle() {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    outsideCpuMs: () => null,
    withSearchWorker() {
      const index = new SqliteChunkIndex(new Database(path), {
        searchWorkers: { workers: 1, logger: createLogger('warn') },
      });
      others.push(index);
      return index;
    },
    storesVectors: DIMENSIONS > 0,
    withVectorCache(bytes) {
      const other = new SqliteChunkIndex(new Database(path), { vectorCacheBytes: bytes });
      others.push(other);
      return other;
    },
    size: async () => `SQLite file (WAL) of ${round(statSync(path).size / 1024 / 1024)} MB`,
    async close() {
      await Promise.all(others.map((other) => other.close()));
      db.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function openPostgres(adminUrl: string): Promise<Engine> {
  const name = `runboard_bench_${randomBytes(6).toString('hex')}`;
  const admin = connectToServer(adminUrl, { maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // One connection: every query on one backend, whose CPU time /proc tells (when the server is on this machine).
  const client: SqlClient = connectToServer(url.toString(), { maxConnections: 1 });
  await migrate(client);
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]!.pid;
  return {
    name: 'PostgreSQL',
    index: new PostgresChunkIndex(client),
    async settle() {
      await client.query('VACUUM ANALYZE file_search_chunks');
    },
    outsideCpuMs: () => processCpuMs(pid),
    storesVectors: false,
    withSearchWorker: () => null,
    withVectorCache: () => null,
    async size() {
      const { rows: sizes } = await client.query<{ size: string }>(
        "SELECT pg_size_pretty(pg_total_relation_size('file_search_chunks')) AS size",
      );
      return `PostgreSQL 15, file_search_chunks with its indexes ${sizes[0]!.size}`;
    },
    async close() {
      await client.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** User and system CPU time of a process on this machine, from /proc (in 10 ms ticks); null when not readable. */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * A turn of the event loop between two searches, as a server has between requests: an in-thread search's await
 * resolves in microtasks, so without it a whole series would run as one block and the delay monitor see nothing.
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** The event loop's delay while searches run: how long a request arriving meanwhile would have waited. */
function eventLoopDelay(): { stop(): string } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const ms = (ns: number) => round(ns / 1e6);
      return `p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms (event-loop delay, 10 ms resolution)`;
    },
  };
}

/** The same questions searched by words in a worker thread (a read-only connection of its own). */
async function measureSearchWorker(engine: Engine, queries: readonly string[]): Promise<Figure[]> {
  const index = engine.withSearchWorker();
  if (!index) return [];
  await index.searchText(['vs_big'], queries[0]!, { limit: 80 }); // the worker started and its connection opened
  const search = new Timing();
  const loopDelay = eventLoopDelay();
  for (const query of queries) {
    await search.time(() => index.searchText(['vs_big'], query, { limit: 80 }));
    await nextTurn();
  }
  const delay = loopDelay.stop();
  const wall = summarize(search.wallMs);
  return [
    {
      group: GROUP,
      name: `${engine.name}: search p95 at ${CHUNKS.toLocaleString('en')} chunks, by words in a worker thread`,
      value: round(wall.p95 ?? 0),
      unit: 'ms',
      target: { comparison: '<=', value: SEARCH_TARGET_MS },
      detail: `the same ${wall.count} questions, SqliteChunkIndex with searchWorkers: 1; p50 ${round(wall.p50 ?? 0)} ms; ${search.cpu()} (the process, worker included); the event loop held up to ${delay}; ${loadAverage()}`,
    },
  ];
}

/**
 * Vectors and both together (what `FileSearch.search` does with an embedding model, the query's embedding call
 * left out) at `DIMENSIONS`, with a vector cache just large enough for the store (its packed vectors and ids):
 * the cache's fill once, then search p50/p95, and the memory it holds.
 */
async function measureVectors(
  engine: Engine,
  queries: readonly string[],
  random: () => number,
): Promise<Figure[]> {
  if (DIMENSIONS === 0) return [];
  const cacheBytes = CHUNKS * (DIMENSIONS * 4 + 8) + 1024 * 1024;
  const index = engine.withVectorCache(cacheBytes);
  if (!index) return [];
  const rssBefore = process.memoryUsage().rss;
  const firstStarted = performance.now();
  await index.searchVectors(['vs_big'], randomVector(random, DIMENSIONS), { limit: 80 });
  const firstMs = performance.now() - firstStarted;
  const rssCached = process.memoryUsage().rss;
  const vectors = new Timing();
  const hybrid = new Timing();
  const samples = queries.slice(0, 40);
  const loopDelay = eventLoopDelay();
  for (const query of samples) {
    const embedding = randomVector(random, DIMENSIONS);
    await vectors.time(() => index.searchVectors(['vs_big'], embedding, { limit: 80 }));
    await hybrid.time(async () => {
      const lists: ChunkHit[][] = [
        await index.searchText(['vs_big'], query, { limit: 80 }),
        await index.searchVectors(['vs_big'], embedding, { limit: 80 }),
      ];
      return fuseRankings(lists, { maxNumResults: 20, scoreThreshold: 0 });
    });
    await nextTurn();
  }
  const delay = loopDelay.stop();
  const vectorWall = summarize(vectors.wallMs);
  const hybridWall = summarize(hybrid.wallMs);
  const mb = (bytes: number) => round(bytes / 1024 / 1024);
  const setting = `${CHUNKS.toLocaleString('en')} unit Float32 vectors of ${DIMENSIONS} dimensions in one store, a vector cache of ${mb(cacheBytes)} MB`;
  return [
    {
      group: GROUP,
      name: `${engine.name}: vector search p95 at ${CHUNKS.toLocaleString('en')} chunks, ${DIMENSIONS} dimensions`,
      value: round(vectorWall.p95 ?? 0),
      unit: 'ms',
      target: { comparison: '<=', value: SEARCH_TARGET_MS },
      detail: `${setting}; searchVectors, 80 candidates, ${vectorWall.count} queries; p50 ${round(vectorWall.p50 ?? 0)} ms; ${vectors.cpu()}; the first search read the store into the cache in ${round(firstMs / 1000)} s; the event loop held up to ${delay} (vectors are compared in the server's thread); ${loadAverage()}`,
    },
    {
      group: GROUP,
      name: `${engine.name}: hybrid search p95 at ${CHUNKS.toLocaleString('en')} chunks (words + vectors, fused)`,
      value: round(hybridWall.p95 ?? 0),
      unit: 'ms',
      target: { comparison: '<=', value: SEARCH_TARGET_MS },
      detail: `searchText and searchVectors in this thread, fuseRankings to 20; the query's embedding call not included; p50 ${round(hybridWall.p50 ?? 0)} ms; ${hybrid.cpu()}; ${loadAverage()}`,
    },
    {
      group: GROUP,
      name: `${engine.name}: resident memory of the vector cache at ${CHUNKS.toLocaleString('en')} chunks`,
      value: mb(rssCached - rssBefore),
      unit: 'MB',
      detail: `RSS growth when the store's vectors were read into the cache (${mb(CHUNKS * DIMENSIONS * 4)} MB of floats); the server's default cache is 256 MiB: past it each search reads the store's vectors from the database`,
    },
  ];
}

function randomVector(random: () => number, dimensions: number): Float32Array {
  return Float32Array.from({ length: dimensions }, () => random() * 2 - 1);
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChunkIndex, ChunkToStore } from '../assistants-server/file-search/chunk-index';
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

interface Engine {
  name: string;
  index: ChunkIndex;
  /** After the fill: statistics, checkpoints. */
  settle(): Promise<void>;
  /** CPU time the engine spent outside this process (a PostgreSQL backend's), in ms, when it can be read. */
  outsideCpuMs(): number | null;
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
      embedding: null,
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
  for (const query of queries) {
    const before = engine.outsideCpuMs();
    const found = await search.time(() => engine.index.searchText(['vs_big'], query, { limit: 80 }));
    const after = engine.outsideCpuMs();
    if (before !== null && after !== null) outside.push(after - before);
    hits += found.length;
  }
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
      detail: `${size}; searchText, 80 candidates, ${wall.count} questions of 9 words (${round(hits / wall.count)} hits each); p50 ${round(wall.p50 ?? 0)} ms; ${search.cpu()} in this process${outsideCpu}; ${loadAverage()}`,
    },
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
  return {
    name: 'SQLite',
    index: new SqliteChunkIndex(db),
    async settle() {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    outsideCpuMs: () => null,
    size: async () => `SQLite file (WAL) of ${round(statSync(path).size / 1024 / 1024)} MB`,
    async close() {
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

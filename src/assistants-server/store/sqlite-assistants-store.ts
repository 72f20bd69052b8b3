import { AsyncLocalStorage } from 'node:async_hooks';
import { createLogger, type Logger } from '../../platform/logger';
import { LifecycleEvents } from '../events/lifecycle-events';
import { AssistantStore } from './assistant-store';
import type { ChunkIndex } from '../file-search/chunk-index';
import { SqliteChunkIndex } from '../file-search/sqlite-chunk-index';
import type {
  AssistantsStore,
  AssistantTable,
  FileBatchTable,
  FileTable,
  MessageTable,
  ModelCallTable,
  RunTable,
  SettingsTable,
  StepTable,
  StoreTables,
  StoreTransaction,
  ThreadTable,
  VectorStoreFileTable,
  VectorStoreTable,
} from './assistants-store';
import { AsyncMutex } from './async-mutex';
import { openDatabase, type Db } from './database';
import { FileStore } from './file-store';
import { IndexedWrites } from './indexed-writes';
import { MessageStore } from './message-store';
import { ModelCallStore } from './model-call-store';
import { RunStore } from './run-store';
import { SettingsStore } from './settings-store';
import { StepStore } from './step-store';
import type { StoreIndexFactory } from './store-index';
import { ThreadStore } from './thread-store';
import { VectorStoreFileStore } from './vector-store-file-store';
import { FileBatchStore, VectorStoreStore } from './vector-store-store';

/** The synchronous form of a table interface: what the better-sqlite3 statements of `*-store.ts` offer. */
type Synchronous<Table> = {
  [Method in keyof Table]: Table[Method] extends (...args: infer Args) => Promise<infer Result>
    ? (...args: Args) => Result
    : never;
};

/** The SQLite statements, synchronous: what runs inside a transaction, and what the query index reads. */
interface SqliteTables {
  assistants: Synchronous<AssistantTable>;
  threads: Synchronous<ThreadTable>;
  messages: Synchronous<MessageTable>;
  runs: Synchronous<RunTable>;
  steps: Synchronous<StepTable>;
  settings: Synchronous<SettingsTable>;
  modelCalls: Synchronous<ModelCallTable>;
  files: Synchronous<FileTable>;
  vectorStores: Synchronous<VectorStoreTable>;
  vectorStoreFiles: Synchronous<VectorStoreFileTable>;
  fileBatches: Synchronous<FileBatchTable>;
}

type Runner = <Result>(work: () => Result) => Promise<Result>;

/**
 * SQLite's implementation of the storage interface, on better-sqlite3: one connection, synchronous statements.
 *
 * Transactions are serialized in the process: `transaction` takes a mutex, opens `BEGIN IMMEDIATE` (the database's
 * write lock, so another process writing the same file waits too), runs the asynchronous work, and commits. Two
 * transactions never interleave their statements on the connection, so neither can see the other's uncommitted rows.
 * A call on the store itself (outside a transaction) runs at once when no transaction is open, and otherwise waits
 * for the open one to end: it always reads committed data. It cannot read beside an open transaction instead,
 * because one connection sees its own uncommitted writes, and an in-memory database cannot have a second one.
 * Statements inside a transaction stay synchronous (the query index's writes, the bulk seed's inserts).
 *
 * `index` keeps what the query API reads in this database, updated by every run and thread write in its own
 * transaction (built once, when it opens on data it does not reflect yet). `options.logger` (the server's) reports
 * what the store handles itself (a search its worker could not do); without one (tests, benches) warnings go to
 * stderr. `options.searchWorkerEntry`: tests, the search worker's module.
 */
export function openSqliteStore(
  path: string,
  onListenerError?: (error: unknown) => void,
  index?: StoreIndexFactory,
  options: { logger?: Logger; searchWorkerEntry?: URL } = {},
): AssistantsStore {
  const db = openDatabase(path);
  const events = new LifecycleEvents(onListenerError);
  const transactions = new SqliteTransactions(db, events, sqliteTables(db, events, index));
  const tables = transactions.outside();
  // Searches by words in a worker thread of its own on a database file (a million chunks cost ~100 ms of CPU each).
  const chunkIndex = new SqliteChunkIndex(db, {
    searchWorkers: {
      workers: SEARCH_WORKERS,
      logger: options.logger ?? createLogger('warn'),
      entry: options.searchWorkerEntry,
    },
  });
  return {
    ...tables,
    events,
    shared: false,
    transaction: (work) => transactions.transaction(work),
    chunkIndex: serialized<ChunkIndex>(chunkIndex, (work) => transactions.outsideTransaction(work)),
    isEmpty: async () => (await tables.assistants.oldest()) === null && (await tables.threads.count()) === 0,
    ping: async () => {
      await transactions.outsideTransaction(() => db.prepare('SELECT 1').get());
    },
    close: async () => {
      await chunkIndex.close();
      if (db.open) db.close();
    },
  };
}

/** Worker threads that search the chunks by words (one: the machine's other core serves requests meanwhile). */
const SEARCH_WORKERS = 1;

function sqliteTables(db: Db, events: LifecycleEvents, index: StoreIndexFactory | undefined): SqliteTables {
  const writes = new IndexedWrites(db, events);
  const threads = new ThreadStore(db, writes);
  const messages = new MessageStore(db, writes);
  const runs = new RunStore(db, writes);
  if (index) {
    writes.index = index({
      db,
      afterCommit: (callback) => events.afterCommit(callback),
      stored: {
        threads: () => threads.allThreads(),
        runs: () => runs.allRuns(),
        runCount: () => runs.count(),
        run: (runId) => runs.get(runId)?.run ?? null,
        runMessages: (run) => messages.aroundRun(run),
      },
    });
  }
  return {
    assistants: new AssistantStore(db, events),
    threads,
    messages,
    runs,
    steps: new StepStore(db, events),
    settings: new SettingsStore(db),
    modelCalls: new ModelCallStore(db),
    files: new FileStore(db),
    vectorStores: new VectorStoreStore(db),
    vectorStoreFiles: new VectorStoreFileStore(db),
    fileBatches: new FileBatchStore(db),
  };
}

/** The serialized transactions on the one connection, and the calls made outside them. */
class SqliteTransactions {
  private readonly lock = new AsyncMutex();
  /** The transaction the current asynchronous call runs in, if any: calls made in its course join it. */
  private readonly context = new AsyncLocalStorage<SqliteTransaction>();

  constructor(
    private readonly db: Db,
    private readonly events: LifecycleEvents,
    private readonly sync: SqliteTables,
  ) {}

  /** The tables for calls on the store itself. */
  outside(): StoreTables {
    return asynchronousTables(this.sync, (work) => this.outsideTransaction(work));
  }

  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    if (current?.open) return current.nested(work);
    await this.lock.acquire();
    const tx = new SqliteTransaction(this.db, this.events, this.sync);
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.events.hold();
      let result: T;
      try {
        result = await this.context.run(tx, () => work(tx.tables));
        tx.end();
        this.db.exec('COMMIT');
      } catch (error) {
        tx.end();
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        this.events.release(false);
        throw error;
      }
      this.events.release(true);
      return result;
    } finally {
      this.lock.release();
    }
  }

  /**
   * One call on the store itself: at once when no transaction is open (synchronous, so nothing interleaves), after
   * the open one otherwise. A write of a run, thread or message is atomic on its own (`IndexedWrites`: the statement,
   * the index and the event in one SQLite transaction); a read is one statement, or a few run back to back.
   */
  outsideTransaction<Result>(work: () => Result): Promise<Result> {
    // Made in the course of a transaction (a lifecycle step inside a seed): part of it, like a nested transaction.
    if (this.context.getStore()?.open) return settled(work);
    if (this.lock.idle) return settled(work);
    return this.lock.acquire().then(() => {
      try {
        return work();
      } finally {
        this.lock.release();
      }
    });
  }
}

/** One open transaction: the tables bound to it, usable until it ends. */
class SqliteTransaction {
  readonly tables: StoreTransaction;
  open = true;
  private savepoints = 0;

  constructor(
    private readonly db: Db,
    private readonly events: LifecycleEvents,
    sync: SqliteTables,
  ) {
    const inside: Runner = (work) => {
      if (!this.open) return Promise.reject(new Error('This transaction has already ended'));
      return settled(work);
    };
    this.tables = {
      ...asynchronousTables(sync, inside),
      afterCommit: (callback) => this.events.afterCommit(callback),
    };
  }

  end(): void {
    this.open = false;
  }

  /** A transaction inside this one (a savepoint): its throw rolls back its own writes and events only. */
  async nested<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const name = `nested_${++this.savepoints}`;
    const mark = this.events.mark();
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work(this.tables);
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.db.inTransaction) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
      }
      this.events.dropSince(mark);
      throw error;
    }
  }
}

function asynchronousTables(sync: SqliteTables, run: Runner): StoreTables {
  return {
    assistants: asynchronous(sync.assistants, run),
    threads: asynchronous(sync.threads, run),
    messages: asynchronous(sync.messages, run),
    runs: asynchronous(sync.runs, run),
    steps: asynchronous(sync.steps, run),
    settings: asynchronous(sync.settings, run),
    modelCalls: asynchronous(sync.modelCalls, run),
    files: asynchronous(sync.files, run),
    vectorStores: asynchronous(sync.vectorStores, run),
    vectorStoreFiles: asynchronous(sync.vectorStoreFiles, run),
    fileBatches: asynchronous(sync.fileBatches, run),
  };
}

/**
 * An object of asynchronous methods whose calls start through `run`: the chunk index's writes (its own SQLite
 * transactions, on the store's connection) never start inside one of the store's open transactions.
 */
function serialized<Target extends object>(target: Target, run: Runner): Target {
  return new Proxy(target, {
    get(object, name) {
      const value = Reflect.get(object, name) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        run(() => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args)).then(
          (inner) => inner,
        );
    },
  });
}

/** The asynchronous table over its synchronous statements: each method runs its statement through `run`. */
function asynchronous<Table extends object>(sync: Synchronous<Table>, run: Runner): Table {
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy({} as Table, {
    get(target, name) {
      // A method set on the table itself (a test's stand-in) wins.
      if (Reflect.has(target, name)) return Reflect.get(target, name) as unknown;
      let method = methods.get(name);
      if (!method) {
        const statement = (sync as Record<PropertyKey, unknown>)[name];
        if (typeof statement !== 'function') return undefined;
        method = (...args: unknown[]) =>
          run(() => (statement as (...a: unknown[]) => unknown).apply(sync, args));
        methods.set(name, method);
      }
      return method;
    },
  });
}

/** `work`'s result, or its throw, as a promise. */
function settled<Result>(work: () => Result): Promise<Result> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

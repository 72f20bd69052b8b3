import { AsyncLocalStorage } from 'node:async_hooks';
import { LifecycleEvents, type LifecycleEvent } from '../../events/lifecycle-events';
import type { AssistantsStore, StoreTables, StoreTransaction } from '../assistants-store';
import { appendChange, appendLifecycleEvent } from './change-log/append-change';
import type { LifecycleEntry } from './change-log/log-entry';
import { OtherInstancesEvents } from './change-log/other-instances-events';
import { instanceId } from './instance-id';
import { migrate } from './migrations/migrate';
import { QueryTableWrites, type QueryChange } from './query-tables/query-table-writes';
import { PostgresRunQueries } from './run-queries/postgres-run-queries';
import type { SqlClient, SqlQueryable } from './sql-client';
import { PgAssistantTable } from './tables/assistant-table';
import { PostgresChunkIndex } from './file-search/postgres-chunk-index';
import { PostgresFileTable } from './files/postgres-file-table';
import { PgMessageTable } from './tables/message-table';
import { PgModelCallTable } from './tables/model-call-table';
import { jsonText, type PgSession } from './tables/pg-session';
import { PgRunTable } from './tables/run-table';
import { PgSettingsTable } from './tables/settings-table';
import { PgStepTable } from './tables/step-table';
import { PgThreadTable } from './tables/thread-table';
import { PostgresVectorStoreFileTable } from './vector-stores/postgres-vector-store-files';
import { PostgresFileBatchTable, PostgresVectorStoreTable } from './vector-stores/postgres-vector-stores';

export type QueryChangeListener = (change: QueryChange) => void;

/** The PostgreSQL store: the interface, the query API's reads on its query tables, and the changes they made. */
export interface PostgresAssistantsStore extends AssistantsStore {
  /** `/api/runs`, counts, usage, time series and the thread list, read from the query tables. */
  readonly queries: PostgresRunQueries;
  /** Every change of the query tables, once its transaction committed (the change feed's input), in commit order. */
  subscribeQueryChanges(listener: QueryChangeListener): () => void;
  /** The instance id written with each change-log row. */
  readonly instanceId: string;
  /**
   * A lifecycle row read from the change log (every instance's, in the log's order: `InstanceChangeLog`'s
   * `lifecycle`): another instance's event is published into `events` (once; not when it is older than an event of
   * this instance for the same object, `OtherInstancesEvents`), this instance's own is skipped (published at commit).
   */
  deliverLogged(entry: LifecycleEntry): void;
}

export interface PostgresStoreOptions {
  /** A listener of `events` that throws is reported here. */
  onListenerError?: (error: unknown) => void;
  /** Close `client` with the store (default true; a test sharing one database across stores says false). */
  ownsClient?: boolean;
  /** Written with each change-log row (default: this process's `instanceId()`). */
  instanceId?: string;
}

/** What each table method writes, by table: a call of one of these outside a transaction runs in one of its own. */
const WRITES: Record<keyof StoreTables, ReadonlySet<string>> = {
  assistants: new Set(['insert', 'update', 'delete']),
  threads: new Set(['insert', 'update', 'delete']),
  messages: new Set(['insert', 'update', 'appendText', 'delete', 'deleteInThread']),
  runs: new Set(['insert', 'update', 'deleteInThread', 'setAside', 'insertMany']),
  steps: new Set(['insert', 'update', 'deleteInThread']),
  settings: new Set(['set', 'increment']),
  modelCalls: new Set(['deleteInThread', 'begin', 'end', 'maskErrors', 'markInterrupted']),
  files: new Set(['insert', 'delete']),
  vectorStores: new Set(['insert', 'update', 'delete']),
  vectorStoreFiles: new Set(['put', 'setAttributes', 'finish', 'delete', 'cancelWaitingInBatch']),
  fileBatches: new Set(['insert', 'update']),
};
const TABLE_NAMES = Object.keys(WRITES) as Array<keyof StoreTables>;

/** What a transaction delivers once it commits, in the order written. */
type Delivery =
  | { kind: 'event'; event: LifecycleEvent; logId: number }
  | { kind: 'change'; change: QueryChange }
  | { kind: 'callback'; callback: () => void };

/**
 * The storage interface on PostgreSQL (a server through `pg`'s pool, or PGlite), on migration 1's tables.
 *
 * - Migrates the database when it opens (`migrate`: safe when several instances start at once).
 * - Transactions run concurrently, each on a connection of its own; the lifecycle's "read, decide, write" holds
 *   through `runs.getForUpdate` (`FOR UPDATE`) and the compare-and-set `runs.update(record, { expectedStatus })`.
 *   A nested transaction is a savepoint. A call on the store made in the course of a transaction joins it.
 * - Each write of a run, thread or message writes the query tables in its transaction (`QueryTableWrites`), and
 *   every write of an object records its lifecycle event, and each change of the query tables, in `change_log`,
 *   with this instance's id: another instance can deliver them. This instance publishes its own once the
 *   outermost transaction commits (never when it rolls back), in commit order, and the other instances' as its
 *   reader of the log hands them over (`deliverLogged`).
 * - A call on the store outside a transaction reads committed data on any pooled connection; a write runs in a
 *   transaction of its own (the statement, the query tables and the change log commit together).
 */
export async function openPostgresStore(
  client: SqlClient,
  options: PostgresStoreOptions = {},
): Promise<PostgresAssistantsStore> {
  await migrate(client);
  return new PostgresStore(client, options);
}

class PostgresStore implements PostgresAssistantsStore {
  /** Several instances share the database: each claims its work under a lease (`claims/run-claims.ts`). */
  readonly shared = true;
  readonly events: LifecycleEvents;
  readonly chunkIndex: PostgresChunkIndex;
  readonly queries: PostgresRunQueries;
  readonly instanceId: string;
  readonly assistants;
  readonly threads;
  readonly messages;
  readonly runs;
  readonly steps;
  readonly settings;
  readonly modelCalls;
  readonly files;
  readonly vectorStores;
  readonly vectorStoreFiles;
  readonly fileBatches;
  private readonly queryListeners = new Set<QueryChangeListener>();
  private readonly others: OtherInstancesEvents;
  private readonly context = new AsyncLocalStorage<PgTransaction>();
  private readonly committed: StoreTables;
  private closed = false;

  constructor(
    private readonly client: SqlClient,
    private readonly options: PostgresStoreOptions,
  ) {
    this.events = new LifecycleEvents(options.onListenerError);
    this.instanceId = options.instanceId ?? instanceId();
    this.others = new OtherInstancesEvents(this.instanceId, this.events);
    this.queries = new PostgresRunQueries(client, () => this.assistants.names());
    // A search made in the course of a transaction (the scripted run's, as it finishes) reads on that transaction's
    // connection: on the pool it would hold one connection and wait for a second, and enough of them at once would
    // wait on each other for ever.
    this.chunkIndex = new PostgresChunkIndex(this.inTransactionOrPool());
    this.committed = tablesOf({
      db: client,
      written: () => Promise.reject(new Error('A write outside a transaction')),
    }).tables;
    const outside = this.outsideTables();
    this.assistants = outside.assistants;
    this.threads = outside.threads;
    this.messages = outside.messages;
    this.runs = outside.runs;
    this.steps = outside.steps;
    this.settings = outside.settings;
    this.modelCalls = outside.modelCalls;
    this.files = outside.files;
    this.vectorStores = outside.vectorStores;
    this.vectorStoreFiles = outside.vectorStoreFiles;
    this.fileBatches = outside.fileBatches;
  }

  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    if (current?.open) return current.nested(work);
    if (this.closed) throw new StoreClosedError();
    let transaction!: PgTransaction;
    const result = await this.client.transaction(async (db) => {
      transaction = new PgTransaction(db, this.instanceId);
      try {
        return await this.context.run(transaction, () => work(transaction.tables));
      } finally {
        transaction.open = false;
      }
    });
    this.deliver(transaction.delivered);
    return result;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.assistants.oldest()) === null && (await this.threads.count()) === 0;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new StoreClosedError();
    await this.client.query('SELECT 1');
  }

  deliverLogged(entry: LifecycleEntry): void {
    this.others.read(entry);
  }

  subscribeQueryChanges(listener: QueryChangeListener): () => void {
    this.queryListeners.add(listener);
    return () => this.queryListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.options.ownsClient !== false) await this.client.close();
  }

  /** The client, except that in the course of an open transaction its queries (and transactions) join that one. */
  private inTransactionOrPool(): SqlClient {
    const current = () => {
      const transaction = this.context.getStore();
      return transaction?.open ? transaction.db : null;
    };
    return {
      backend: this.client.backend,
      query: (text, params) => (current() ?? this.client).query(text, params),
      exec: (script) => (current() ?? this.client).exec(script),
      transaction: (work) => {
        const db = current();
        return db ? work(db) : this.client.transaction(work);
      },
      listen: (channel, listener) => this.client.listen(channel, listener),
      close: () => this.client.close(),
    };
  }

  private deliver(deliveries: Delivery[]): void {
    for (const delivery of deliveries) {
      if (delivery.kind === 'event') {
        this.events.publish(delivery.event);
        this.others.publishedOwn(delivery.event, delivery.logId);
      } else if (delivery.kind === 'callback') this.events.afterCommit(delivery.callback);
      else {
        for (const listener of this.queryListeners) {
          try {
            listener(delivery.change);
          } catch (error) {
            this.options.onListenerError?.(error);
          }
        }
      }
    }
  }

  /**
   * The tables of calls on the store itself: inside a transaction's course, its tables; otherwise a write in a
   * transaction of its own, a read on committed data. A method set on a table (a test's stand-in) wins.
   */
  private outsideTables(): StoreTables {
    const entries = TABLE_NAMES.map((name) => {
      const methods = new Map<PropertyKey, unknown>();
      const table = new Proxy({} as object, {
        get: (target, method) => {
          if (Reflect.has(target, method)) return Reflect.get(target, method) as unknown;
          if (typeof method !== 'string') return undefined;
          let bound = methods.get(method);
          if (!bound) {
            bound = (...args: unknown[]) => {
              const call = (tables: StoreTables) =>
                (tables[name] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(
                  ...args,
                );
              const current = this.context.getStore();
              if (current?.open) return call(current.tables);
              if (WRITES[name].has(method)) return this.transaction((tx) => call(tx));
              if (this.closed) return Promise.reject(new StoreClosedError());
              return call(this.committed);
            };
            methods.set(method, bound);
          }
          return bound;
        },
      });
      return [name, table] as const;
    });
    return Object.fromEntries(entries) as unknown as StoreTables;
  }
}

/** A call on a store after `close` (its client may stay open for others: the store itself refuses). */
class StoreClosedError extends Error {
  constructor() {
    super('The PostgreSQL store is closed');
  }
}

/** One open transaction: its tables, and what it delivers once the outermost commit is done. */
class PgTransaction {
  readonly tables: StoreTransaction;
  readonly delivered: Delivery[] = [];
  open = true;
  private savepoints = 0;

  constructor(
    readonly db: SqlQueryable,
    instance: string,
  ) {
    const session: PgSession = {
      db,
      written: async (event) => {
        this.ensureOpen();
        const changes = await queryTables.written(event);
        for (const change of changes) {
          await appendChange(db, change);
          this.delivered.push({ kind: 'change', change });
        }
        const logId = await appendLifecycleEvent(db, jsonText(event), instance);
        this.delivered.push({ kind: 'event', event, logId });
      },
    };
    const { tables, queryTables } = tablesOf(session);
    // Each method refuses once the transaction has ended (work it spawned must not outlive it).
    this.tables = {
      ...guarded(tables, () => this.ensureOpen()),
      afterCommit: (callback) => this.delivered.push({ kind: 'callback', callback }),
    };
  }

  /** A transaction inside this one (a savepoint): its throw rolls back its own writes and deliveries only. */
  async nested<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const name = `nested_${++this.savepoints}`;
    const mark = this.delivered.length;
    await this.db.query(`SAVEPOINT ${name}`);
    try {
      const result = await work(this.tables);
      await this.db.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.db.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.db.query(`RELEASE SAVEPOINT ${name}`);
      this.delivered.length = mark;
      throw error;
    }
  }

  private ensureOpen(): void {
    if (!this.open) throw new Error('This transaction has already ended');
  }
}

/** The tables on `session`, and the query tables its writes keep (a run's preview reads its messages). */
function tablesOf(session: PgSession): { tables: StoreTables; queryTables: QueryTableWrites } {
  const messages = new PgMessageTable(session);
  const queryTables = new QueryTableWrites(session.db, (run) => messages.aroundRun(run));
  const tables = {
    assistants: new PgAssistantTable(session),
    threads: new PgThreadTable(session),
    messages,
    runs: new PgRunTable(session, queryTables),
    steps: new PgStepTable(session),
    settings: new PgSettingsTable(session),
    modelCalls: new PgModelCallTable(session),
    files: new PostgresFileTable(session.db),
    vectorStores: new PostgresVectorStoreTable(session.db),
    vectorStoreFiles: new PostgresVectorStoreFileTable(session.db),
    fileBatches: new PostgresFileBatchTable(session.db),
  };
  return { tables, queryTables };
}

/** Each table's methods, checking `check` before they run. */
function guarded<Tables extends object>(tables: Tables, check: () => void): Tables {
  return Object.fromEntries(
    Object.entries(tables).map(([name, table]) => [
      name,
      new Proxy(table as object, {
        get(target, method) {
          const value = Reflect.get(target, method, target) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            try {
              check();
            } catch (error) {
              return Promise.reject(error as Error);
            }
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
    ]),
  ) as Tables;
}

import type {
  Assistant,
  Message,
  OpenAIFile,
  Run,
  RunStatus,
  RunStep,
  Thread,
  VectorStore,
  VectorStoreFile,
  VectorStoreFileBatch,
  VectorStoreFileCounts,
  VectorStoreFileStatus,
} from '../../shared/openai-types';
import type { ModelCall } from '../../shared/runboard-types';
import type { LifecycleEvents } from '../events/lifecycle-events';
import type { ChunkIndex } from '../file-search/chunk-index';
import type { PageRequest, PageResult } from './cursor-page';
import type { RunRecord, Transition } from './run-record';

/**
 * The Assistants server's storage: every object it keeps, behind one asynchronous interface that SQLite
 * (`sqlite-assistants-store.ts`) and PostgreSQL implement. The lifecycle, the executors, the routes, the seeds and the
 * admin routes use only this.
 *
 * - Every method is asynchronous. A call on the store itself is one statement (or one atomic group of them) on
 *   committed data; a multi-object change goes in `transaction`, whose `tx` offers the same tables.
 * - Writes of runs, threads and messages update what the store keeps beside them (the query index, `StoreIndex` on
 *   SQLite) in the same transaction, and every write publishes its `LifecycleEvent` on `events` once the outermost
 *   transaction commits (never when it rolls back), in commit order.
 * - The lifecycle's "read, decide, write" holds across processes: it reads a run with `runs.getForUpdate` inside the
 *   transaction (a row lock where the engine has them) and writes it with `runs.update(record, { expectedStatus })`, a
 *   compare-and-set that reports a lost race instead of overwriting.
 */
export interface AssistantsStore extends StoreTables {
  /** Every committed write of an assistant, thread, run, step or message. */
  readonly events: LifecycleEvents;
  /**
   * Runs `work` in one transaction: its writes commit together when it resolves and roll back when it throws (the
   * throw is passed on). Inside `work`, use `tx`. A call on the store made in the course of `work` (a lifecycle
   * step inside a seed) joins the transaction in progress: `transaction` as a nested one, whose throw rolls back its
   * own writes only, a table's method as one of its statements. Keep outside calls (a model, the network) out of
   * `work`: a transaction holds its rows (on SQLite, the whole database) until it ends, and work it spawns must not
   * outlive it.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /**
   * Other processes may work on this database at once (PostgreSQL: several instances): the scheduler and the model
   * executor then look regularly for the work other instances leave (`claimDue`, `claimUnattended`) and the clock for
   * their settings. False for SQLite, which one process owns.
   */
  readonly shared: boolean;
  /**
   * The file-search index of the vector stores' chunks, in the same database (SQLite: `SqliteChunkIndex`, its calls
   * serialized with the store's transactions). Never called inside `transaction`: it writes in its own.
   */
  readonly chunkIndex: ChunkIndex;
  /** No assistant and no thread yet (a first start). */
  isEmpty(): Promise<boolean>;
  /**
   * One trivial statement on the database, reading no table: the health check's "does the database answer". Rejects
   * (or hangs, on a database gone silent) when it does not, and once the store is closed.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What a transaction offers: the tables, bound to it, and a hook for once it commits. */
export interface StoreTransaction extends StoreTables {
  /** Calls `callback` once the outermost transaction commits, in order with its events; dropped if it rolls back. */
  afterCommit(callback: () => void): void;
}

export interface StoreTables {
  readonly assistants: AssistantTable;
  readonly threads: ThreadTable;
  readonly messages: MessageTable;
  readonly runs: RunTable;
  readonly steps: StepTable;
  readonly settings: SettingsTable;
  readonly modelCalls: ModelCallTable;
  readonly files: FileTable;
  readonly vectorStores: VectorStoreTable;
  readonly vectorStoreFiles: VectorStoreFileTable;
  readonly fileBatches: FileBatchTable;
}

export interface AssistantTable {
  insert(assistant: Assistant): Promise<void>;
  update(assistant: Assistant): Promise<void>;
  /** Runs keep their `assistant_id` (they copied what they need when they were created). */
  delete(assistant: Assistant): Promise<void>;
  get(id: string): Promise<Assistant | null>;
  oldest(): Promise<Assistant | null>;
  /** Every assistant that has a name: id → name. */
  names(): Promise<Map<string, string>>;
  page(request: PageRequest): Promise<PageResult>;
}

export interface ThreadTable {
  insert(thread: Thread): Promise<void>;
  update(thread: Thread): Promise<void>;
  /** The thread row only: its messages, runs and steps are removed first (see lifecycle/delete-thread). */
  delete(thread: Thread): Promise<void>;
  get(id: string): Promise<Thread | null>;
  /**
   * Inside a transaction that checks the thread's lock (one active run) before adding a run or a message: the thread,
   * locked against another such transaction until this one ends (PostgreSQL: `FOR UPDATE`; SQLite: already held).
   */
  getForUpdate(id: string): Promise<Thread | null>;
  count(): Promise<number>;
  page(request: PageRequest): Promise<PageResult>;
}

export interface MessageTable {
  insert(message: Message): Promise<void>;
  /** Writes the whole message (the text appended since the last whole write included). */
  update(message: Message): Promise<void>;
  /** `message` (one text part, still being written) grew by `textDelta` at its end: only the delta is written. */
  appendText(message: Message, textDelta: string): Promise<void>;
  delete(message: Message): Promise<void>;
  /** Part of a thread's deletion, which publishes the one event for the thread and all it held. */
  deleteInThread(threadId: string): Promise<void>;
  get(threadId: string, id: string): Promise<Message | null>;
  /** The whole conversation, oldest first: what a run reads as its prompt. */
  inThread(threadId: string): Promise<Message[]>;
  page(threadId: string, runId: string | undefined, request: PageRequest): Promise<PageResult>;
}

/**
 * A run whose scheduled transition is due, read from its columns only: `load()` parses the stored record and throws
 * when the row is unreadable (the scheduler then fails the run, or sets it aside), so one bad row never stops the
 * lifecycle.
 */
export interface DueRun {
  id: string;
  threadId: string;
  transition: Transition;
  dueAt: number;
  load(): RunRecord;
}

/** Runs set aside in memory (when even clearing their schedule failed): the due-run queries skip them. */
export type SetAsideIds = ReadonlySet<string>;

/**
 * Work taken by one instance among those sharing a database, under a lease: an owner (the instance's id) and an
 * expiry on the database's clock. A write that moves the run on (a new status or next transition) ends the lease in
 * the same `UPDATE`. An instance that dies stops renewing; once its leases expire, another claims the runs. SQLite
 * (one process owns the file) keeps no leases: a claim is the plain read, every lease is held, a release does nothing.
 */
export interface DueClaim {
  /** The claiming instance's id (`store/postgres/instance-id.ts`). */
  owner: string;
  /** Emulator time (ms): transitions due by then. */
  upTo: number;
  /** At most this many runs (1–1000). */
  limit: number;
  /** How long the lease lasts (ms) unless the transition is written first. */
  leaseMs: number;
  setAside?: SetAsideIds;
}

export interface UnattendedClaim {
  owner: string;
  /** At most this many (1–1000): the model calls the instance has room for. */
  limit: number;
  leaseMs: number;
  /** Runs the instance already works on. */
  exclude: readonly string[];
}

export interface RunTable {
  insert(record: RunRecord): Promise<void>;
  /**
   * Writes the run. With `expectedStatus`, a compare-and-set: the row is written only if its stored status is still
   * that one, and false says it was not (another process moved the run on): nothing was written or published.
   */
  update(record: RunRecord, condition?: { expectedStatus: RunStatus }): Promise<boolean>;
  /** Part of a thread's deletion; active runs go too, with their scheduled transitions. */
  deleteInThread(threadId: string): Promise<void>;
  get(id: string): Promise<RunRecord | null>;
  /**
   * Inside a transaction, before deciding a transition: the run as stored, locked against other writers until the
   * transaction ends (PostgreSQL: `FOR UPDATE`; SQLite: its transactions already hold the database's write lock).
   */
  getForUpdate(id: string): Promise<RunRecord | null>;
  /** The id of the thread's active run (the thread's lock), read from its columns: a broken row still locks. */
  activeRunId(threadId: string): Promise<string | null>;
  activeRun(threadId: string): Promise<Run | null>;
  /** When the earliest scheduled transition is due, or null when nothing is in flight. */
  nextDueAt(setAside?: SetAsideIds): Promise<number | null>;
  /**
   * Up to `limit` runs whose transition is due by `upTo`, earliest first (ties: oldest run first), that no other
   * instance holds, leased to `owner` (see `DueClaim`). Another instance claiming at once gets other runs.
   */
  claimDue(claim: DueClaim): Promise<DueRun[]>;
  /**
   * Model runs in progress that nobody calls the model for (their instance died or stopped, or has no room for
   * them yet), leased to `owner`. Returns their ids.
   */
  claimUnattended(claim: UnattendedClaim): Promise<string[]>;
  /**
   * Takes or extends `owner`'s lease on each of `runIds` still in progress and held by nobody else (a model call's
   * lease). Returns the ids held; one left out is lost (the run moved on, or another instance took it over).
   */
  holdLeases(owner: string, runIds: readonly string[], leaseMs: number): Promise<string[]>;
  /** Ends `owner`'s leases on `runIds`, or on all it holds (a clean stop): others claim them at once. */
  releaseLeases(owner: string, runIds?: readonly string[]): Promise<number>;
  /** The same, among one thread's runs. */
  firstDueInThread(threadId: string, upTo: number, setAside?: SetAsideIds): Promise<DueRun | null>;
  /** A run whose record cannot be read loses its schedule, without being read. */
  setAside(id: string): Promise<void>;
  /** Runs in progress right now (after a restart: those whose work was cut off); unreadable rows are left out. */
  inProgress(): Promise<RunRecord[]>;
  page(threadId: string, request: PageRequest): Promise<PageResult>;
  /** Many ended runs at once (the admin seed), published as one `resync`. Returns how many. */
  insertMany(records: Iterable<RunRecord>): Promise<number>;
}

export interface StepTable {
  insert(step: RunStep): Promise<void>;
  update(step: RunStep): Promise<void>;
  /** Part of a thread's deletion, before its runs go. */
  deleteInThread(threadId: string): Promise<void>;
  get(runId: string, id: string): Promise<RunStep | null>;
  ofRun(runId: string): Promise<RunStep[]>;
  page(runId: string, request: PageRequest): Promise<PageResult>;
}

/** Server settings that survive a restart and that every instance on the database shares (clock offset, scale). */
export interface SettingsTable {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Adds `by` to an integer setting (absent: 0) in one statement, whoever else adds at once. Returns the sum. */
  increment(key: string, by: number): Promise<number>;
}

/** The model executor's call log, one row per HTTP call; publishes no events. */
export interface ModelCallTable {
  /** Part of a thread's deletion: before its runs go. */
  deleteInThread(threadId: string): Promise<void>;
  /** Records a call that just started; its id is assigned here. */
  begin(call: Omit<ModelCall, 'id'>): Promise<ModelCall>;
  end(call: ModelCall): Promise<void>;
  ofRun(runId: string): Promise<ModelCall[]>;
  /** Applies `mask` to every stored call's error, rewriting those it changes. Returns how many changed. */
  maskErrors(mask: (error: string) => string): Promise<number>;
  /**
   * Calls recorded in flight whose instance stopped: every one (after a restart of the only instance), or those of
   * one run (taken over from an instance that died). Returns how many.
   */
  markInterrupted(runId?: string): Promise<number>;
}

/** Uploaded files' records (`OpenAIFile`); the bytes are kept outside the store (`files/file-bytes.ts`). */
export interface FileTable {
  insert(file: OpenAIFile): Promise<void>;
  /** False when there was no such file (another request deleted it first). */
  delete(id: string): Promise<boolean>;
  get(id: string): Promise<OpenAIFile | null>;
  /**
   * The file, kept from being deleted until the calling transaction ends (PostgreSQL `FOR SHARE`; SQLite's
   * transactions are serialized): putting it in a vector store checks it with this, so a delete of the file waits for
   * the store's row and then removes it (`DELETE /v1/files/{id}` removes the file from every store).
   */
  getForShare(id: string): Promise<OpenAIFile | null>;
  /** `purpose` filters the list when given. */
  page(purpose: string | undefined, request: PageRequest): Promise<PageResult>;
}

/** Vector stores (`VectorStore`); their chunks are kept by the store's `chunkIndex`; publishes no lifecycle events. */
export interface VectorStoreTable {
  insert(vectorStore: VectorStore): Promise<void>;
  /** Writes the whole row: read it with `getForUpdate` in the same transaction. */
  update(vectorStore: VectorStore): Promise<void>;
  /**
   * The vector store with its files and batches; false when there was none. Waits for the transactions that hold the
   * store's row (`getForUpdate`), so a file put in meanwhile goes too.
   */
  delete(id: string): Promise<boolean>;
  get(id: string): Promise<VectorStore | null>;
  /**
   * The store, its row locked until the calling transaction ends (PostgreSQL `FOR UPDATE`; SQLite's transactions are
   * serialized). Every write of a store's row or of its files' membership takes it first, so writers of one store
   * queue there: none writes back what another changed meanwhile, and its counts are counted by one at a time.
   */
  getForUpdate(id: string): Promise<VectorStore | null>;
  page(request: PageRequest): Promise<PageResult>;
}

/** A vector store's or a batch's `file_counts`, and the bytes its completed files take in the index. */
export interface FileCountsAndUsage extends VectorStoreFileCounts {
  usage_bytes: number;
}

/** Which files a list or a count covers: a vector store's, or a batch's (the files it added last). */
export interface VectorStoreFileFilter {
  status?: VectorStoreFileStatus;
  batchId?: string;
}

/** A vector store file waiting to be processed, as its processing read it: `seq` is this very row's. */
export interface WaitingFile {
  file: VectorStoreFile;
  /** The batch that added it, if any. */
  batchId: string | null;
  /** The row's number: a file attached again is a new row with a new one. */
  seq: number;
}

/** How a file's processing ended: the only fields of the row its processing writes. */
export interface FileOutcome {
  status: Exclude<VectorStoreFileStatus, 'in_progress'>;
  last_error: VectorStoreFile['last_error'];
  usage_bytes: number;
}

/**
 * The files of vector stores (`VectorStoreFile`). Those `in_progress` are the processing queue: it survives a restart.
 * Each write changes only its own fields, in one statement, so writers never overwrite each other's with a stale row.
 */
export interface VectorStoreFileTable {
  /**
   * Adds the file to its vector store, or replaces the one there (a file attached again is processed again). Answers
   * the batch that had added the row it replaced (that batch is counted again), null when none did.
   */
  put(file: VectorStoreFile, batchId: string | null): Promise<string | null>;
  /** Replaces the file's `attributes` (null clears them) and nothing else; answers the file, or null when none. */
  setAttributes(
    vectorStoreId: string,
    fileId: string,
    attributes: VectorStoreFile['attributes'],
  ): Promise<VectorStoreFile | null>;
  /**
   * Writes how the processing of `waiting` ended (`status`, `last_error`, `usage_bytes`; nothing else), only while it
   * is still that row and `in_progress`: false (and nothing written) when it was cancelled, removed, or attached
   * again (a new row) meanwhile.
   */
  finish(waiting: WaitingFile, outcome: FileOutcome): Promise<boolean>;
  /** Takes the file out of the store: answers the batch that had added it (null: none), or false when it was not there. */
  delete(vectorStoreId: string, fileId: string): Promise<{ batchId: string | null } | false>;
  get(vectorStoreId: string, fileId: string): Promise<VectorStoreFile | null>;
  /** The file while it is `in_progress`, with its row's number and batch (null otherwise). */
  getWaiting(vectorStoreId: string, fileId: string): Promise<WaitingFile | null>;
  page(vectorStoreId: string, filter: VectorStoreFileFilter, request: PageRequest): Promise<PageResult>;
  counts(vectorStoreId: string, batchId?: string): Promise<FileCountsAndUsage>;
  /** Files waiting to be processed, oldest first, at most `limit`, with the batch that added each. */
  waiting(limit: number): Promise<Array<{ vectorStoreId: string; fileId: string; batchId: string | null }>>;
  /** A batch's files still waiting become `cancelled`; answers their ids. */
  cancelWaitingInBatch(batchId: string): Promise<string[]>;
  /** The vector stores that hold the file, oldest first (deleting the file removes it from each). */
  storesHolding(fileId: string): Promise<string[]>;
}

/** File batches (`VectorStoreFileBatch`): their files are rows of `VectorStoreFileTable` with the batch's id. */
export interface FileBatchTable {
  insert(batch: VectorStoreFileBatch): Promise<void>;
  /** Writes the whole row: read it with `getForUpdate` in the same transaction. */
  update(batch: VectorStoreFileBatch): Promise<void>;
  get(id: string): Promise<VectorStoreFileBatch | null>;
  /** The batch, its row locked until the calling transaction ends (as `VectorStoreTable.getForUpdate`). */
  getForUpdate(id: string): Promise<VectorStoreFileBatch | null>;
}

import { addAbortSignal } from 'node:stream';
import type { VectorStoreFile } from '../../shared/openai-types';
import type { Logger } from '../../platform/logger';
import { excerpt } from '../../platform/request-input';
import { badRequest, EmulatorApiError, notFound } from '../api-error';
import { ConcurrencyLimiter } from '../llm-executor/concurrency-limiter';
import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { StaticChunking } from '../file-search/chunking';
import type { FileSearch, IndexOutcome } from '../file-search/file-search';
import { FileParseError } from '../file-search/parse/parse-errors';
import { ParserStoppedError } from '../file-search/parse/file-parser';
import { FileBytesMissing, noSuchFile, type FileBytes } from '../files/file-bytes';
import type {
  AssistantsStore,
  FileOutcome,
  StoreTables,
  StoreTransaction,
  VectorStoreFileFilter,
  WaitingFile,
} from '../store/assistants-store';
import { IngestQueue, type IngestJob, type IngestQueueOptions } from './ingest-queue';
import {
  batchWithCounts,
  findVectorStoreForUpdate,
  newVectorStoreFile,
  withCounts,
} from './vector-store-objects';

/** A file to put in a vector store, as a request names it. */
export interface FileToAttach {
  fileId: string;
  chunking: StaticChunking;
  attributes: VectorStoreFile['attributes'];
}

/**
 * Files in vector stores: putting them in (checked first, written in the caller's transaction, processed after it
 * commits), processing them off the request path through the bounded `IngestQueue` (read the bytes, `FileSearch.index`,
 * write the outcome), and keeping each store's and batch's `file_counts`, `usage_bytes` and `status` in step.
 */
export class VectorStoreFiles {
  private readonly queue: IngestQueue;
  /** Contents parsed on a request (`parsedText`): as many at once as files are processed, a few more waiting. */
  private readonly contentParses: ConcurrencyLimiter;
  private closed = false;

  constructor(
    private readonly store: AssistantsStore,
    private readonly fileSearch: FileSearch,
    private readonly bytes: FileBytes,
    private readonly clock: EmulatorClock,
    private readonly logger: Logger,
    queueOptions: IngestQueueOptions,
  ) {
    this.contentParses = new ConcurrencyLimiter(queueOptions.concurrency);
    this.queue = new IngestQueue(
      queueOptions,
      (job, signal) => this.process(job, signal),
      (limit) => this.store.vectorStoreFiles.waiting(limit),
      (error, job) =>
        this.logger.error('A vector store file could not be processed', {
          vectorStoreId: job.vectorStoreId,
          fileId: job.fileId,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  /** Files left waiting by the last stop are processed again. */
  resume(): void {
    this.queue.resume();
  }

  /** Tests and shutdown: resolves once no file is processed or waiting. */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  get queueSize(): { queued: number; running: number } {
    return this.queue.size;
  }

  close(): void {
    this.closed = true;
    this.queue.close();
  }

  /**
   * Refuses a file that does not exist (404, OpenAI's wording) or whose type file search does not read (400
   * `unsupported_file`, `param` naming where it was given). Inside the transaction that puts the files in: the
   * file is kept from being deleted until it commits (`getForShare`).
   */
  async check(
    tables: StoreTables,
    files: readonly FileToAttach[],
    param: (index: number) => string,
  ): Promise<void> {
    for (const [index, wanted] of files.entries()) await this.checkFile(tables, wanted.fileId, param(index));
  }

  /** One file: it must exist, and (`forSearch`) be of a type file search reads. */
  async checkFile(tables: StoreTables, fileId: string, param: string, forSearch = true): Promise<void> {
    const file = await tables.files.getForShare(fileId);
    if (!file) throw notFound(`No file found with id '${excerpt(fileId)}'.`);
    const refusal = forSearch
      ? this.fileSearch.refusalBeforeReading({ filename: file.filename, bytes: 0 })
      : null;
    if (refusal) throw badRequest(refusal.message, param, refusal.code);
  }

  /**
   * Puts files in the store inside `tx`, checked there (the store's row is locked first: a store deleted meanwhile
   * answers 404, and one deleted after waits for this to commit and removes these files too). A file already there
   * is replaced and processed again; the batch that had added it is counted again. Queued once `tx` commits.
   * Answers the files as written.
   */
  async attach(
    tx: StoreTransaction,
    vectorStoreId: string,
    files: readonly FileToAttach[],
    options: { batchId?: string | null; param: (index: number) => string },
  ): Promise<VectorStoreFile[]> {
    const batchId = options.batchId ?? null;
    await findVectorStoreForUpdate(tx, vectorStoreId);
    await this.check(tx, files, options.param);
    const now = this.clock.nowSeconds();
    const written: VectorStoreFile[] = [];
    const batches = new Set<string | null>([batchId]);
    for (const file of files) {
      const vectorStoreFile = newVectorStoreFile(vectorStoreId, file, now);
      batches.add(await tx.vectorStoreFiles.put(vectorStoreFile, batchId));
      written.push(vectorStoreFile);
    }
    await this.recount(tx, vectorStoreId, batches);
    tx.afterCommit(() => {
      for (const file of written) {
        this.queue.abort({ vectorStoreId, fileId: file.id });
        this.queue.enqueue({ vectorStoreId, fileId: file.id, batchId });
      }
    });
    return written;
  }

  /** Takes a file out of a store: its processing stops, its chunks go, the store's and its batch's counts follow. */
  async detach(vectorStoreId: string, fileId: string): Promise<boolean> {
    this.queue.abort({ vectorStoreId, fileId });
    const removed = await this.store.transaction(async (tx) => {
      await tx.vectorStores.getForUpdate(vectorStoreId); // the lock order every writer of the store's files keeps
      const gone = await tx.vectorStoreFiles.delete(vectorStoreId, fileId);
      if (!gone) return false;
      await this.recount(tx, vectorStoreId, [gone.batchId]);
      return true;
    });
    await this.store.chunkIndex.deleteFile(vectorStoreId, fileId);
    return removed;
  }

  /**
   * Removes a deleted file from every vector store that holds it (OpenAI's `DELETE /v1/files/{id}`: "Delete a file
   * and remove it from all vector stores"): its rows, chunks and processing go, and each store is counted again.
   */
  async detachEverywhere(fileId: string): Promise<void> {
    for (const vectorStoreId of await this.store.vectorStoreFiles.storesHolding(fileId))
      await this.detach(vectorStoreId, fileId);
  }

  /** Replaces a file's `attributes`, and nothing else of it (processing may be writing its status meanwhile). */
  async setAttributes(
    vectorStoreId: string,
    fileId: string,
    attributes: VectorStoreFile['attributes'],
  ): Promise<VectorStoreFile | null> {
    return this.store.vectorStoreFiles.setAttributes(vectorStoreId, fileId, attributes);
  }

  /** Cancels a batch: its waiting files become `cancelled` and their processing stops. */
  async cancelBatch(vectorStoreId: string, batchId: string): Promise<void> {
    const cancelled = await this.store.transaction(async (tx) => {
      if (!(await tx.vectorStores.getForUpdate(vectorStoreId))) return [];
      const batch = await tx.fileBatches.getForUpdate(batchId);
      if (!batch) return [];
      const ids = await tx.vectorStoreFiles.cancelWaitingInBatch(batchId);
      if (batch.status === 'in_progress') await tx.fileBatches.update({ ...batch, status: 'cancelled' });
      await this.recount(tx, vectorStoreId, [batchId]);
      return ids;
    });
    for (const fileId of cancelled) {
      this.queue.abort({ vectorStoreId, fileId });
      await this.store.chunkIndex.deleteFile(vectorStoreId, fileId);
    }
  }

  /** Deletes a store with its files, batches and chunks. */
  async deleteStore(vectorStoreId: string): Promise<boolean> {
    const waiting = await this.allFileIds(vectorStoreId);
    for (const fileId of waiting) this.queue.abort({ vectorStoreId, fileId });
    const deleted = await this.store.vectorStores.delete(vectorStoreId);
    await this.store.chunkIndex.deleteVectorStore(vectorStoreId);
    return deleted;
  }

  /**
   * Writes the store's counts and those of `batchIds` (the batches whose files changed: null is none) from their
   * files' rows. The rows are locked store first, then batch, as every writer of them takes them.
   */
  private async recount(
    tables: StoreTables,
    vectorStoreId: string,
    batchIds: Iterable<string | null>,
  ): Promise<void> {
    const vectorStore = await tables.vectorStores.getForUpdate(vectorStoreId);
    if (vectorStore) {
      await tables.vectorStores.update(
        withCounts(vectorStore, await tables.vectorStoreFiles.counts(vectorStoreId)),
      );
    }
    for (const batchId of new Set(batchIds)) {
      const batch = batchId ? await tables.fileBatches.getForUpdate(batchId) : null;
      if (batch) {
        await tables.fileBatches.update(
          batchWithCounts(batch, await tables.vectorStoreFiles.counts(vectorStoreId, batch.id)),
        );
      }
    }
  }

  private async allFileIds(vectorStoreId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const file of filesOf(this.store, vectorStoreId, { status: 'in_progress' })) ids.push(file.id);
    return ids;
  }

  /**
   * One file: read, indexed, its outcome written (unless it was cancelled, removed or attached again meanwhile, or on
   * shutdown). The outcome is written to the row as it was read (its `seq`), its status, last_error and usage_bytes
   * only: attributes set meanwhile stay. The chunks are of that `seq` too (their generation): another instance that
   * processed the file since, attached again, keeps its chunks whatever order the two writes arrive in, and this one's
   * clean-up removes none of them.
   */
  private async process(job: IngestJob, signal: AbortSignal): Promise<void> {
    const { vectorStoreId, fileId } = job;
    const waiting = await this.store.vectorStoreFiles.getWaiting(vectorStoreId, fileId);
    if (!waiting) return;
    let outcome: IndexOutcome;
    try {
      outcome = await this.index(waiting, signal);
    } catch (error) {
      this.logger.error('Indexing a vector store file failed', {
        vectorStoreId,
        fileId,
        error: error instanceof Error ? error.message : String(error),
      });
      outcome = {
        status: 'failed',
        lastError: {
          code: 'server_error',
          message: 'The file could not be processed because of a server error.',
        },
      };
    }
    if (this.closed) return; // a stop: the row stays `in_progress`, and the next start processes it again
    if (signal.aborted) {
      // Whoever aborted wrote the file's new state (cancelled, removed, or attached again and waiting): chunks this
      // run may have put after they cleaned up go, unless the file waits to be processed again (which replaces them).
      const now = await this.store.vectorStoreFiles.get(vectorStoreId, fileId);
      if (chunksGo(false, outcome.status, now?.status))
        await this.store.chunkIndex.deleteFile(vectorStoreId, fileId, waiting.seq);
      return;
    }
    const ended: FileOutcome = {
      status: outcome.status,
      last_error: outcome.status === 'failed' ? outcome.lastError : null,
      usage_bytes: outcome.status === 'completed' ? outcome.usageBytes : 0,
    };
    const written = await this.store.transaction(async (tx) => {
      // The store's row first, as every writer of its files takes it (no two wait on each other's rows).
      if (!(await tx.vectorStores.getForUpdate(vectorStoreId))) return false;
      if (!(await tx.vectorStoreFiles.finish(waiting, ended))) return false;
      await this.recount(tx, vectorStoreId, [waiting.batchId]);
      return true;
    });
    const now = written ? undefined : (await this.store.vectorStoreFiles.get(vectorStoreId, fileId))?.status;
    if (chunksGo(written, outcome.status, now))
      await this.store.chunkIndex.deleteFile(vectorStoreId, fileId, waiting.seq);
  }

  /**
   * The text a vector store file was indexed from, parsed again from its bytes with the parser and bounds that cut
   * its chunks (the chunks overlap, so joined they would repeat text). Refuses a file whose bytes are gone (404, as
   * `/v1/files` does) or that does not parse (400, the parse's code and sentence). `signal` (the request's) stops the
   * wait and the read when the client goes away.
   */
  async parsedText(file: VectorStoreFile, signal: AbortSignal): Promise<string> {
    // Each parse holds up to the parse bound (64 MiB) of bytes and their text: past the waiting bound, refused.
    if (
      this.contentParses.active >= this.contentParses.limit &&
      this.contentParses.queued >= MAX_WAITING_CONTENT_PARSES
    )
      throw tooManyContentParses();
    const release = await this.contentParses.acquire(signal);
    try {
      return await this.parseContent(file, signal);
    } finally {
      release();
    }
  }

  /** Parses of contents under way and waiting (tests). */
  get contentParsesInFlight(): { active: number; queued: number } {
    return { active: this.contentParses.active, queued: this.contentParses.queued };
  }

  private async parseContent(file: VectorStoreFile, signal: AbortSignal): Promise<string> {
    const record = await this.store.files.get(file.id);
    if (!record) throw noSuchFile(file.id);
    const refusal = this.fileSearch.refusalBeforeReading({ filename: record.filename, bytes: record.bytes });
    if (refusal) throw badRequest(refusal.message, 'file_id', refusal.code);
    let bytes: Uint8Array | null;
    try {
      bytes = await readFileBytes(this.bytes, record.id, signal);
    } catch (error) {
      throw error instanceof FileBytesMissing ? noSuchFile(record.id) : error;
    }
    signal.throwIfAborted();
    try {
      return (await this.fileSearch.parse({ filename: record.filename, bytes: bytes! }, signal)).text;
    } catch (error) {
      if (error instanceof FileParseError) throw badRequest(error.message, 'file_id', error.code);
      if (error instanceof ParserStoppedError) throw parserStopped(error);
      throw error;
    }
  }

  private async index({ file: waiting, seq }: WaitingFile, signal: AbortSignal): Promise<IndexOutcome> {
    const file = await this.store.files.get(waiting.id);
    if (!file) {
      return {
        status: 'failed',
        lastError: {
          code: 'invalid_file',
          message: `The file ${waiting.id} was deleted before it was processed.`,
        },
      };
    }
    const refusal = this.fileSearch.refusalBeforeReading({ filename: file.filename, bytes: file.bytes });
    if (refusal) return { status: 'failed', lastError: { code: refusal.code, message: refusal.message } };
    let bytes: Uint8Array | null;
    try {
      bytes = await readFileBytes(this.bytes, file.id, signal);
    } catch (error) {
      if (!(error instanceof FileBytesMissing)) throw error;
      return { status: 'failed', lastError: { code: 'invalid_file', message: error.message } };
    }
    if (!bytes) return { status: 'cancelled' };
    return this.fileSearch.index({
      vectorStoreId: waiting.vector_store_id,
      fileId: file.id,
      generation: seq,
      filename: file.filename,
      bytes,
      chunking: waiting.chunking_strategy,
      signal,
    });
  }
}

/** A store's files (those `filter` keeps), oldest first, read a thousand at a time. */
export async function* filesOf(
  tables: Pick<StoreTables, 'vectorStoreFiles'>,
  vectorStoreId: string,
  filter: VectorStoreFileFilter = {},
): AsyncGenerator<VectorStoreFile> {
  let after: string | undefined;
  for (;;) {
    const page = await tables.vectorStoreFiles.page(vectorStoreId, filter, {
      limit: 1000,
      order: 'asc',
      after,
    });
    if ('unknownCursor' in page) return;
    for (const row of page.rows) yield JSON.parse(row.body) as VectorStoreFile;
    if (!page.hasMore) return;
    after = page.rows.at(-1)!.id;
  }
}

/** How many content requests may wait for a parse; past it they are refused (429) and the SDK retries them. */
export const MAX_WAITING_CONTENT_PARSES = 8;

/** The parser failed on the file (its worker died, or the pool is busy or closed): not the file's fault. */
function parserStopped(error: ParserStoppedError): EmulatorApiError {
  return new EmulatorApiError(
    503,
    `${error.message} Please try again in a moment.`,
    null,
    'server_error',
    'server_error',
  );
}

export function tooManyContentParses(): EmulatorApiError {
  return new EmulatorApiError(
    429,
    'Too many vector store file contents are being read at once. Please try again in a moment.',
    null,
    'rate_limit_exceeded',
    'requests',
  );
}

/**
 * A file's bytes (already bounded by `refusalBeforeReading`), read until the end; null when `signal` aborts, which
 * stops the read at once (the stream is destroyed, no further part is read). Bytes that are gone (the record stayed)
 * throw `FileBytesMissing`.
 */
async function readFileBytes(
  bytes: FileBytes,
  fileId: string,
  signal: AbortSignal,
): Promise<Uint8Array | null> {
  if (signal.aborted) return null;
  const stream = addAbortSignal(signal, bytes.read(fileId));
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    if (signal.aborted) return null;
    throw error;
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/**
 * Whether the file's chunks go once its processing ended: `written` (its outcome was written to the row it read),
 * else `now`, the row's status since (undefined: removed). Written, they go unless it completed. Not written, they go
 * when it was removed, cancelled or failed meanwhile; they stay when another instance sharing the database completed
 * the same row (the same chunks), and when it was attached again and waits (`in_progress`): its new processing, here
 * or on another instance, replaces them, and may already have put its own.
 */
export function chunksGo(
  written: boolean,
  outcome: IndexOutcome['status'],
  now: VectorStoreFile['status'] | undefined,
): boolean {
  if (written) return outcome !== 'completed';
  return now !== 'completed' && now !== 'in_progress';
}

import {
  WorkerCrashError,
  WorkerPool,
  WorkerPoolBusyError,
  WorkerPoolClosedError,
  siblingModule,
  WorkerTaskError,
  WorkerTimeoutError,
} from '../../../platform/worker-pool/worker-pool';
import type { StaticChunking } from '../chunking';
import { ParserStoppedError, type ChunkedFile, type FileParser, type FileToParse } from './file-parser';
import type { ParsedFile, ParseLimits } from './parse-file';
import { FileParseError } from './parse-errors';
import type { ParseTask, ParseTaskResult } from './parse-task';

export interface WorkerParserOptions {
  /** Files parsed at once, each in a worker of its own. */
  size: number;
  /** Files waiting for a worker; past it a parse is refused (`ParserStoppedError`). */
  maxWaiting: number;
  /** The hard bound on one file's parse and chunking: its worker is ended at it (the file fails `invalid_file`). */
  timeoutMs?: number;
  /** Each worker's heap in MB: a file whose parse needs more ends its worker and fails, not the server. */
  maxHeapMb?: number;
  /** The worker's module (tests: a parser that misbehaves). */
  entry?: URL;
}

export const DEFAULT_PARSE_WORKER_TIMEOUT_MS = 120_000;
export const DEFAULT_PARSE_WORKER_HEAP_MB = 2_048;

/**
 * Parses and chunks files in a bounded pool of worker threads (`WorkerPool`), so that PDF.js, mammoth and the
 * tokenizer never hold the server's event loop. Each file's bytes (at most `ParseLimits.maxBytes`, checked before a
 * file is read) are copied once and moved to its worker; its chunks come back. A worker that throws, dies or runs
 * out of its heap fails that file only (`ParserStoppedError` → `server_error`), and a new worker takes its place; one
 * that runs past `timeoutMs` is ended and its file fails `invalid_file`.
 */
export class WorkerParser implements FileParser {
  private readonly pool: WorkerPool<ParseTask, ParseTaskResult>;
  private readonly timeoutMs: number;

  constructor(options: WorkerParserOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_WORKER_TIMEOUT_MS;
    this.pool = new WorkerPool({
      name: 'runboard-parse',
      entry: options.entry ?? siblingModule('parse-worker', import.meta.url),
      size: options.size,
      maxWaiting: options.maxWaiting,
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? DEFAULT_PARSE_WORKER_HEAP_MB },
    });
  }

  /** Workers alive, files being parsed in them, and files waiting for one. */
  get stats(): { workers: number; running: number; waiting: number } {
    return this.pool.stats;
  }

  async parse(file: FileToParse, limits: ParseLimits, signal?: AbortSignal): Promise<ParsedFile> {
    const answer = await this.run(file, limits, null, Number.MAX_SAFE_INTEGER, signal);
    return { ...answer.parsed, text: answer.text ?? '' };
  }

  async parseAndChunk(
    file: FileToParse,
    options: { limits: ParseLimits; chunking: StaticChunking; maxTokens: number; signal?: AbortSignal },
  ): Promise<ChunkedFile> {
    const answer = await this.run(file, options.limits, options.chunking, options.maxTokens, options.signal);
    return { parsed: answer.parsed, chunks: answer.chunks ?? [] };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async run(
    file: FileToParse,
    limits: ParseLimits,
    chunking: StaticChunking | null,
    maxTokens: number,
    signal?: AbortSignal,
  ): Promise<Extract<ParseTaskResult, { ok: true }>> {
    // A copy of its own to move: the caller's bytes may be a view of a buffer shared with others.
    const bytes = new Uint8Array(file.bytes);
    let answer: ParseTaskResult;
    try {
      answer = await this.pool.run(
        { filename: file.filename, mimeType: file.mimeType ?? null, bytes, limits, chunking, maxTokens },
        { transfer: [bytes.buffer], signal, timeoutMs: this.timeoutMs },
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof WorkerTimeoutError) {
        throw new FileParseError('invalid_file', `The file could not be parsed within ${this.timeoutMs} ms.`);
      }
      if (
        error instanceof WorkerCrashError ||
        error instanceof WorkerTaskError ||
        error instanceof WorkerPoolBusyError ||
        error instanceof WorkerPoolClosedError
      ) {
        throw new ParserStoppedError(`The file could not be parsed: ${error.message}`);
      }
      throw error;
    }
    if (!answer.ok) throw new FileParseError(answer.code, answer.message);
    return answer;
  }
}

import { addAbortSignal, Readable, Transform } from 'node:stream';
import { excerpt } from '../../platform/request-input';
import { notFound, type EmulatorApiError } from '../api-error';

/** OpenAI's bound on one uploaded file. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** The refusal of an upload over `maxBytes` (`File is too large. The maximum file size is 512 MB.`). */
export function fileTooLargeMessage(maxBytes: number): string {
  const size = maxBytes % 2 ** 20 === 0 ? `${maxBytes / 2 ** 20} MB` : `${maxBytes} bytes`;
  return `File is too large. The maximum file size is ${size}.`;
}

/** A file's bytes grew past the bound while being written; what was written is removed. */
export class FileTooLarge extends Error {}

/** A file's bytes are not there (removed, or lost beside a record that stayed): read answers 404, not 500. */
export class FileBytesMissing extends Error {
  constructor(readonly fileId: string) {
    super(`The bytes of ${fileId} are gone.`);
  }
}

/** OpenAI's 404 for a file that is not there (`GET /v1/files/{id}`, and its content when its bytes are gone). */
export function noSuchFile(fileId: string): EmulatorApiError {
  return notFound(`No such File object: ${excerpt(fileId)}`);
}

/**
 * Where uploaded files' bytes are kept: a folder beside the SQLite file (`folder-file-bytes.ts`), or the PostgreSQL
 * database itself, which every instance reads (`store/postgres/files/postgres-file-bytes.ts`). The routes use only
 * this. Bytes are streamed in and out, never held whole in memory.
 */
export interface FileBytes {
  /**
   * Writes `source` as the file `id` and answers its size; past `maxBytes` throws `FileTooLarge`. A write that
   * fails (too large, or the source broke) keeps nothing.
   */
  write(id: string, source: Readable, maxBytes: number): Promise<number>;
  /**
   * The file's bytes, read as the consumer asks for them (destroying the stream stops the reading). Bytes that are
   * not there fail the stream with `FileBytesMissing`.
   */
  read(id: string): Readable;
  /** Forgets the file's bytes (nothing when there are none). */
  remove(id: string): Promise<void>;
  close(): void;
}

/**
 * Counts what passes and drops everything past `maxBytes`, failing with `FileTooLarge` at the end. Past the bound the
 * rest is read and dropped, not refused at once: the source (a multipart parser) stalls when destroyed mid-part, and
 * must reach its end to answer the request.
 */
export function boundedBytes(maxBytes: number): { stream: Transform; bytes: () => number } {
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done();
      else done(null, chunk);
    },
    flush(done) {
      done(bytes > maxBytes ? new FileTooLarge() : null);
    },
  });
  return { stream, bytes: () => bytes };
}

/** Ids are generated here (`file-` + alphanumerics) and checked at the edge; never a name of the caller's. */
export function checkedFileId(id: string): string {
  if (!/^file-[A-Za-z0-9]+$/.test(id)) throw new Error(`Not a file id: ${id}`);
  return id;
}

/**
 * The file's bytes for an answer, its first part already read: bytes that are gone answer 404 (`No such File
 * object`) before the answer starts, not a 200 that breaks off. `signal` (the request's) stops the reading.
 */
export async function startedRead(bytes: FileBytes, fileId: string, signal: AbortSignal): Promise<Readable> {
  const source = addAbortSignal(signal, bytes.read(fileId));
  const parts = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await parts.next();
  } catch (error) {
    source.destroy();
    throw error instanceof FileBytesMissing ? noSuchFile(fileId) : error;
  }
  async function* all(): AsyncGenerator<Buffer> {
    try {
      for (let part = first; !part.done; part = await parts.next()) yield part.value;
    } finally {
      source.destroy();
    }
  }
  return Readable.from(all(), { objectMode: false });
}

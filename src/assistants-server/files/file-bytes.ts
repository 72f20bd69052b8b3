import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** OpenAI's bound on one uploaded file. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** A file's bytes grew past the bound while being written; what was written is removed. */
export class FileTooLarge extends Error {}

/**
 * Uploaded files' bytes, one file per id in a folder: `<database folder>/files/` for a database file (every process
 * that opens the database reads the same folder), a temporary folder removed at `close()` for `:memory:`.
 * Bytes are streamed in and out, never held whole in memory.
 */
export class FileBytes {
  private constructor(
    readonly folder: string,
    private readonly temporary: boolean,
  ) {}

  static beside(dbPath: string): FileBytes {
    if (dbPath === ':memory:' || dbPath === '') {
      return new FileBytes(mkdtempSync(join(tmpdir(), 'runboard-files-')), true);
    }
    const folder = join(dirname(resolve(dbPath)), 'files');
    mkdirSync(folder, { recursive: true });
    return new FileBytes(folder, false);
  }

  /** Writes `source` as the file `id`; throws `FileTooLarge` (and keeps nothing) past `maxBytes`. Returns its size. */
  async write(id: string, source: Readable, maxBytes: number): Promise<number> {
    let bytes = 0;
    // Past the bound the rest is read and dropped, not refused at once: the source (a multipart parser) stalls when
    // destroyed mid-part, and must reach its end to answer the request.
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) done();
        else done(null, chunk);
      },
      flush(done) {
        done(bytes > maxBytes ? new FileTooLarge() : null);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(this.path(id)));
    } catch (error) {
      await this.remove(id);
      throw error;
    }
    return bytes;
  }

  read(id: string): Readable {
    return createReadStream(this.path(id));
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }

  close(): void {
    if (this.temporary) rmSync(this.folder, { recursive: true, force: true });
  }

  private path(id: string): string {
    // Ids are generated here (`file-` + alphanumerics) and checked at the edge; never a path of the caller's.
    if (!/^file-[A-Za-z0-9]+$/.test(id)) throw new Error(`Not a file id: ${id}`);
    return join(this.folder, id);
  }
}

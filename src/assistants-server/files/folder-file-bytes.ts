import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { boundedBytes, checkedFileId, FileBytesMissing, type FileBytes } from './file-bytes';

/** Where a SQLite database file's uploaded files' bytes are: `files/` beside it. */
export function bytesFolderBeside(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'files');
}

/**
 * Uploaded files' bytes on SQLite, one file per id in a folder: `<database folder>/files/` for a database file (every
 * process that opens the database reads the same folder), a temporary folder removed at `close()` for `:memory:`.
 */
export class FolderFileBytes implements FileBytes {
  private constructor(
    readonly folder: string,
    private readonly temporary: boolean,
  ) {}

  static beside(dbPath: string): FolderFileBytes {
    if (dbPath === ':memory:' || dbPath === '') {
      return new FolderFileBytes(mkdtempSync(join(tmpdir(), 'runboard-files-')), true);
    }
    const folder = bytesFolderBeside(dbPath);
    mkdirSync(folder, { recursive: true });
    return new FolderFileBytes(folder, false);
  }

  async write(id: string, source: Readable, maxBytes: number): Promise<number> {
    const counter = boundedBytes(maxBytes);
    try {
      await pipeline(source, counter.stream, createWriteStream(this.path(id)));
    } catch (error) {
      await this.remove(id);
      throw error;
    }
    return counter.bytes();
  }

  read(id: string): Readable {
    const path = this.path(id);
    return Readable.from(
      (async function* () {
        try {
          yield* createReadStream(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileBytesMissing(id);
          throw error;
        }
      })(),
      { objectMode: false },
    );
  }

  async remove(id: string): Promise<void> {
    await rm(this.path(id), { force: true });
  }

  close(): void {
    if (this.temporary) rmSync(this.folder, { recursive: true, force: true });
  }

  private path(id: string): string {
    return join(this.folder, checkedFileId(id));
  }
}

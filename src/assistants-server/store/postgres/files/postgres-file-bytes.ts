import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { boundedBytes, checkedFileId, FileBytesMissing, type FileBytes } from '../../../files/file-bytes';
import type { SqlQueryable } from '../sql-client';

/** The most one row of `file_content_parts` holds: what a write or a read keeps in memory at a time, about. */
export const PART_BYTES = 1024 * 1024;
/** An upload not kept by a record and not written to for this long died with its instance: the next upload sweeps it. */
export const ABANDONED_AFTER = '1 hour';

/**
 * Uploaded files' bytes in PostgreSQL (migration 4), so that every instance on the database reads every file. A
 * write inserts a part per `PART_BYTES` as the upload streams in, waiting for each insert before it reads on (the
 * upload is held back, not buffered); a read fetches one part at a time as the consumer drains it. No transaction
 * spans an upload (a slow client would hold a connection, and on PGlite the whole database): a write that fails
 * removes what it wrote, and one cut off by a crash is swept an hour later (`ABANDONED_AFTER`). The record's insert
 * (`PostgresFileTable`) marks the content kept; its delete removes the content in the same statement.
 */
export class PostgresFileBytes implements FileBytes {
  constructor(
    private readonly db: SqlQueryable,
    private readonly partBytes = PART_BYTES,
  ) {}

  async write(id: string, source: Readable, maxBytes: number): Promise<number> {
    checkedFileId(id);
    await this.sweepAbandoned();
    await this.db.query('INSERT INTO file_contents (file_id) VALUES ($1)', [id]);
    const counter = boundedBytes(maxBytes);
    try {
      await pipeline(source, counter.stream, this.partWriter(id));
    } catch (error) {
      await this.remove(id);
      throw error;
    }
    return counter.bytes();
  }

  read(id: string): Readable {
    checkedFileId(id);
    // Not object mode: the stream asks for the next part only once what it holds is below its high-water mark.
    return Readable.from(this.parts(id), { objectMode: false });
  }

  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM file_contents WHERE file_id = $1', [id]);
  }

  close(): void {}

  /** Removes uploads that stopped without being kept or removed (their instance died mid-upload). */
  async sweepAbandoned(): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM file_contents WHERE NOT kept AND written_at < now() - interval '${ABANDONED_AFTER}'`,
    );
    return rowCount;
  }

  private async *parts(id: string): AsyncGenerator<Buffer> {
    const { rows } = await this.db.query<{ bytes: number }>(
      'SELECT bytes FROM file_contents WHERE file_id = $1',
      [id],
    );
    if (rows.length === 0) throw new FileBytesMissing(id);
    const size = rows[0]!.bytes;
    let read = 0;
    for (let part = 0; read < size; part++) {
      const found = await this.db.query<{ data: Uint8Array }>(
        'SELECT data FROM file_content_parts WHERE file_id = $1 AND part = $2',
        [id, part],
      );
      const data = found.rows[0]?.data;
      // The file was removed while being read: the answer ends short rather than with other bytes.
      if (!data) throw new FileBytesMissing(id);
      read += data.byteLength;
      yield Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    }
  }

  /** Cuts what it is given into parts of `partBytes` and inserts each before taking more. */
  private partWriter(id: string): Writable {
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    let part = 0;
    const insert = async (data: Buffer) => {
      const { rowCount } = await this.db.query(
        `WITH content AS (
           UPDATE file_contents SET bytes = bytes + octet_length($3::bytea), written_at = now()
           WHERE file_id = $1 RETURNING file_id
         )
         INSERT INTO file_content_parts (file_id, part, data) SELECT file_id, $2, $3::bytea FROM content`,
        [id, part, data],
      );
      if (rowCount === 0) throw new Error(`The upload of ${id} was removed while being written`);
      part++;
    };
    return new Writable({
      // What waits here while a part is inserted: the upload is held back beyond it.
      highWaterMark: 64 * 1024,
      write: (chunk: Buffer, _encoding, done) => {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < this.partBytes) return done();
        const whole = Buffer.concat(pending, pendingBytes);
        pending.length = 0;
        pendingBytes = 0;
        void (async () => {
          let offset = 0;
          for (; whole.length - offset >= this.partBytes; offset += this.partBytes) {
            await insert(whole.subarray(offset, offset + this.partBytes));
          }
          if (offset < whole.length) {
            pending.push(Buffer.from(whole.subarray(offset)));
            pendingBytes = whole.length - offset;
          }
        })().then(() => done(), done);
      },
      final: (done) => {
        const rest = Buffer.concat(pending, pendingBytes);
        pending.length = 0;
        (rest.length > 0 ? insert(rest) : Promise.resolve()).then(() => done(), done);
      },
    });
  }
}

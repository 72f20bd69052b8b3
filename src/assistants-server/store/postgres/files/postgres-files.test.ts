import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { toFile } from 'openai';
import { afterAll, beforeEach, expect, it } from 'vitest';
import type { OpenAIFile } from '../../../../shared/openai-types';
import { FileBytesMissing, FileTooLarge, type FileBytes } from '../../../files/file-bytes';
import { FolderFileBytes } from '../../../files/folder-file-bytes';
import { receiveUpload } from '../../../files/multipart-upload';
import { newFileId } from '../../../ids';
import type { FileTable } from '../../assistants-store';
import { openSqliteStore } from '../../sqlite-assistants-store';
import type { SqlQueryable } from '../sql-client';
import { createHarness } from '../../../test-support/emulator-harness';
import { describePostgres, withPostgres } from '../test-support/with-postgres';
import { PostgresFileBytes } from './postgres-file-bytes';
import { PostgresFileTable } from './postgres-file-table';

const database = withPostgres();
const folder = mkdtempSync(join(tmpdir(), 'runboard-file-bytes-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Small parts, so that a few KB cross several part boundaries. */
const SMALL_PART = 1000;

/** Every byte value, in a pattern that shows a part out of order or a byte re-encoded. */
function pattern(length: number, seed = 0): Buffer {
  return Buffer.from(Array.from({ length }, (_, index) => (index * 7 + seed + (index >> 10)) % 256));
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** A source that yields `chunks` and then fails, as a client that goes away mid-upload. */
async function* breaksAfter(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
  throw new Error('connection reset');
}

async function storedRows(db: SqlQueryable): Promise<{ contents: number; parts: number }> {
  const { rows } = await db.query<{ contents: number; parts: number }>(
    `SELECT (SELECT count(*)::int FROM file_contents) AS contents,
            (SELECT count(*)::int FROM file_content_parts) AS parts`,
  );
  return rows[0]!;
}

function fileRecord(id: string, purpose = 'assistants', createdAt = 1_700_000_000): OpenAIFile {
  return {
    id,
    object: 'file',
    bytes: 3,
    created_at: createdAt,
    filename: `${id}.txt`,
    purpose,
    status: 'processed',
  } as OpenAIFile;
}

describePostgres('file bytes: one behaviour in a folder and in PostgreSQL', () => {
  const backends: Array<[string, () => FileBytes, () => Promise<number>]> = [
    [
      'FolderFileBytes',
      () => FolderFileBytes.beside(join(folder, 'runboard.sqlite')),
      async () => readdirSync(join(folder, 'files')).length,
    ],
    [
      'PostgresFileBytes',
      () => new PostgresFileBytes(database.client, SMALL_PART),
      async () => (await storedRows(database.client)).contents,
    ],
  ];

  beforeEach(async () => {
    await database.client.query('TRUNCATE files, file_contents CASCADE');
    rmSync(join(folder, 'files'), { recursive: true, force: true });
  });

  it.each(backends)(
    '%s: gives back the exact bytes, of any size, part boundaries included',
    async (_, open) => {
      const bytes = open();
      for (const size of [0, 1, SMALL_PART - 1, SMALL_PART, SMALL_PART + 1, 10 * SMALL_PART + 17]) {
        const id = newFileId();
        const written = pattern(size, size);
        // In uneven pieces, as a network delivers them.
        const pieces = [written.subarray(0, 3), written.subarray(3, 1500), written.subarray(1500)];
        expect(await bytes.write(id, Readable.from(pieces), 1 << 20)).toBe(size);
        expect((await readAll(bytes.read(id))).equals(written)).toBe(true);
      }
    },
  );

  it.each(backends)('%s: refuses a file over the bound and keeps nothing of it', async (_, open, stored) => {
    const bytes = open();
    const id = newFileId();
    await expect(bytes.write(id, Readable.from([pattern(2500), pattern(2500)]), 4096)).rejects.toThrow(
      FileTooLarge,
    );
    expect(await stored()).toBe(0);
    // Exactly the bound is accepted.
    expect(await bytes.write(newFileId(), Readable.from([pattern(4096)]), 4096)).toBe(4096);
  });

  it.each(backends)('%s: keeps nothing of an upload cut off midway', async (_, open, stored) => {
    const bytes = open();
    const source = Readable.from(breaksAfter([pattern(3000), pattern(3000)]));
    await expect(bytes.write(newFileId(), source, 1 << 20)).rejects.toThrow('connection reset');
    expect(await stored()).toBe(0);
  });

  it.each(backends)('%s: removes a file, and a removed file cannot be read', async (_, open, stored) => {
    const bytes = open();
    const id = newFileId();
    await bytes.write(id, Readable.from([pattern(5000)]), 1 << 20);
    await bytes.remove(id);
    await bytes.remove(id);
    expect(await stored()).toBe(0);
    // Said as bytes that are gone (the routes answer 404, not 500).
    await expect(readAll(bytes.read(id))).rejects.toThrow(FileBytesMissing);
  });

  it('PostgresFileBytes: a multipart upload over the bound is refused and leaves no rows', async () => {
    const bytes = new PostgresFileBytes(database.client, SMALL_PART);
    const form = new FormData();
    form.set('purpose', 'assistants');
    form.set('file', new Blob([new Uint8Array(pattern(10_000))]), 'big.bin');
    const request = new Request('http://runboard.test/v1/files', { method: 'POST', body: form });
    await expect(receiveUpload(request, bytes, 4096)).rejects.toThrow(FileTooLarge);
    expect(await storedRows(database.client)).toEqual({ contents: 0, parts: 0 });
  });
});

/**
 * A client on the test database that counts the bytes of file parts inserted and fetched, so a test can see how far
 * a stream ran ahead of the database.
 */
function countingParts(db: SqlQueryable) {
  const counted = { inserted: 0, fetched: 0 };
  const client: SqlQueryable = {
    async query<Row>(text: string, params?: readonly unknown[]) {
      const result = await db.query<Row>(text, params);
      if (text.includes('INSERT INTO file_content_parts')) counted.inserted += (params![2] as Buffer).length;
      for (const row of result.rows as Array<{ data?: Uint8Array }>)
        counted.fetched += row.data?.byteLength ?? 0;
      return result;
    },
    exec: (script) => db.exec(script),
  };
  return { client, counted };
}

describePostgres('PostgresFileBytes at scale', () => {
  beforeEach(async () => {
    await database.client.query('TRUNCATE files, file_contents CASCADE');
  });

  it('streams a 24 MiB upload in and out holding a few parts at a time', async () => {
    const { client, counted } = countingParts(database.client);
    const bytes = new PostgresFileBytes(client);
    const id = newFileId();
    const piece = pattern(64 * 1024);
    const pieces = 24 * 16;
    let produced = 0;
    let aheadOfDatabase = 0;
    const source = Readable.from(
      (function* () {
        for (let n = 0; n < pieces; n++) {
          aheadOfDatabase = Math.max(aheadOfDatabase, produced - counted.inserted);
          produced += piece.length;
          yield piece;
        }
      })(),
    );
    expect(await bytes.write(id, source, 64 << 20)).toBe(24 << 20);
    expect(counted.inserted).toBe(24 << 20);
    // The upload waited for the database: never more than a part and the streams' buffers ahead of it.
    expect(aheadOfDatabase).toBeLessThan(3 << 20);
    expect(await storedRows(database.client)).toEqual({ contents: 1, parts: 24 });

    const reader = bytes.read(id);
    let consumed = 0;
    let aheadOfConsumer = 0;
    const wholePart = Buffer.concat(Array.from({ length: 16 }, () => piece));
    for await (const part of reader) {
      expect((part as Buffer).equals(wholePart)).toBe(true);
      consumed += (part as Buffer).length;
      aheadOfConsumer = Math.max(aheadOfConsumer, counted.fetched - consumed);
      await new Promise((resolve) => setImmediate(resolve)); // a slow consumer
    }
    expect(consumed).toBe(24 << 20);
    expect(aheadOfConsumer).toBeLessThan(3 << 20);
  }, 120_000);
});

describePostgres('PostgresFileBytes with PostgresFileTable', () => {
  beforeEach(async () => {
    await database.client.query('TRUNCATE files, file_contents CASCADE');
  });

  it('deletes the bytes with the record, in one statement', async () => {
    const bytes = new PostgresFileBytes(database.client, SMALL_PART);
    const table = new PostgresFileTable(database.client);
    const id = newFileId();
    await bytes.write(id, Readable.from([pattern(2500)]), 1 << 20);
    await table.insert(fileRecord(id));
    expect(await storedRows(database.client)).toEqual({ contents: 1, parts: 3 });
    expect(await table.delete(id)).toBe(true);
    expect(await storedRows(database.client)).toEqual({ contents: 0, parts: 0 });
    expect(await table.delete(id)).toBe(false);
  });

  it('sweeps an upload its instance never finished, an hour on, and keeps recorded files and fresh uploads', async () => {
    const bytes = new PostgresFileBytes(database.client, SMALL_PART);
    const table = new PostgresFileTable(database.client);
    const [kept, abandoned, fresh] = [newFileId(), newFileId(), newFileId()];
    for (const id of [kept, abandoned, fresh]) await bytes.write(id, Readable.from([pattern(1500)]), 1 << 20);
    await table.insert(fileRecord(kept));
    await database.client.query(
      `UPDATE file_contents SET written_at = now() - interval '2 hours' WHERE file_id = ANY($1::text[])`,
      [[kept, abandoned]],
    );
    expect(await bytes.sweepAbandoned()).toBe(1);
    const { rows } = await database.client.query<{ file_id: string }>(
      'SELECT file_id FROM file_contents ORDER BY file_id',
    );
    expect(rows.map((row) => row.file_id)).toEqual([kept, fresh].sort());
    expect((await readAll(bytes.read(kept))).equals(pattern(1500))).toBe(true);
  });
});

describePostgres('FileTable: one behaviour on SQLite and PostgreSQL', () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => void (await Promise.all(opened.map((store) => store.close()))));
  const tables: Array<[string, () => Promise<FileTable>]> = [
    [
      'SQLite',
      async () => {
        const store = openSqliteStore(':memory:');
        opened.push(store);
        return store.files;
      },
    ],
    [
      'PostgreSQL',
      async () => {
        await database.client.query('TRUNCATE files, file_contents CASCADE');
        return new PostgresFileTable(database.client);
      },
    ],
  ];

  it.each(tables)('%s: inserts, gets, pages by purpose both ways with cursors, deletes', async (_, open) => {
    const table = await open();
    const ids = Array.from({ length: 5 }, (_, n) => `file-${n}abc`);
    // Two created in the same second: seq orders them.
    const times = [100, 101, 101, 102, 103];
    for (const [n, id] of ids.entries()) {
      await table.insert(fileRecord(id, n === 2 ? 'batch' : 'assistants', times[n]));
    }
    expect(await table.get(ids[0]!)).toEqual(fileRecord(ids[0]!, 'assistants', 100));
    expect(await table.get('file-none')).toBeNull();

    const idsOf = (result: Awaited<ReturnType<FileTable['page']>>) =>
      'rows' in result
        ? { ids: result.rows.map((row) => (JSON.parse(row.body) as OpenAIFile).id), hasMore: result.hasMore }
        : result;
    const assistantsIds = ids.filter((_, n) => n !== 2);
    expect(idsOf(await table.page('assistants', { limit: 2, order: 'asc' }))).toEqual({
      ids: assistantsIds.slice(0, 2),
      hasMore: true,
    });
    expect(idsOf(await table.page('assistants', { limit: 2, order: 'asc', after: ids[1] }))).toEqual({
      ids: assistantsIds.slice(2),
      hasMore: false,
    });
    expect(idsOf(await table.page(undefined, { limit: 10, order: 'desc' }))).toEqual({
      ids: [...ids].reverse(),
      hasMore: false,
    });
    expect(idsOf(await table.page(undefined, { limit: 2, order: 'desc', before: ids[1] }))).toEqual({
      ids: [ids[3], ids[2]],
      hasMore: true,
    });
    expect(await table.page('assistants', { limit: 2, order: 'asc', after: ids[2] })).toEqual({
      unknownCursor: 'after',
    });
    expect(await table.page(undefined, { limit: 2, order: 'asc', before: 'file-none' })).toEqual({
      unknownCursor: 'before',
    });
    expect(await table.delete(ids[4]!)).toBe(true);
    expect(await table.delete(ids[4]!)).toBe(false);
    expect(await table.get(ids[4]!)).toBeNull();
  });
});

describePostgres('the Files API with its bytes in PostgreSQL', () => {
  it('uploads through the openai SDK, gives back the exact bytes, and deletes them with the file', async () => {
    await database.client.query('TRUNCATE files, file_contents CASCADE');
    const harness = await createHarness({ fileBytes: new PostgresFileBytes(database.client) });
    try {
      const sent = pattern(3 * 1024 * 1024 + 5);
      const created = await harness.client.files.create({
        file: await toFile(sent, 'data.bin'),
        purpose: 'assistants',
      });
      expect(created.bytes).toBe(sent.length);
      expect(await storedRows(database.client)).toEqual({ contents: 1, parts: 4 });
      const content = await harness.client.files.content(created.id);
      expect(Buffer.from(await content.arrayBuffer()).equals(sent)).toBe(true);
      await harness.client.files.delete(created.id);
      expect(await storedRows(database.client)).toEqual({ contents: 0, parts: 0 });
    } finally {
      await harness.close();
    }
  });
});

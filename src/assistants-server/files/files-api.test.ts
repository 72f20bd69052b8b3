import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorResponse, ListResponse, OpenAIFile } from '../../shared/openai-types';
import { createHarness, type Harness } from '../test-support/emulator-harness';
import { attachmentHeaders } from '../routes/attachment-headers';
import { FolderFileBytes } from './folder-file-bytes';

/** Every byte value, so a text decoding or a re-encoding anywhere would show. */
const BINARY = Buffer.from(Array.from({ length: 3000 }, (_, index) => (index * 7) % 256));

function upload(
  harness: Harness,
  parts: { file?: Buffer; filename?: string; purpose?: string },
): Promise<Response> | Response {
  const form = new FormData();
  if (parts.file) form.set('file', new Blob([new Uint8Array(parts.file)]), parts.filename ?? 'data.bin');
  if (parts.purpose !== undefined) form.set('purpose', parts.purpose);
  return harness.app.request('/v1/files', { method: 'POST', body: form });
}

async function errorOf(response: Response): Promise<{ status: number; error: ErrorResponse['error'] }> {
  return { status: response.status, error: ((await response.json()) as ErrorResponse).error };
}

describe('the Files API through the openai SDK v7', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await createHarness()));
  afterAll(() => harness.close());

  it('names the download in UTF-8 with an ASCII fallback, and forbids caching it', async () => {
    const name = `Q3 report é (final)'s.md`;
    const file = (await (
      await upload(harness, { file: BINARY.subarray(0, 10), filename: name, purpose: 'assistants' })
    ).json()) as OpenAIFile;
    const content = await harness.app.request(`/v1/files/${file.id}/content`);
    expect(content.headers.get('content-disposition')).toBe(
      `attachment; filename="Q3 report _ (final)'s.md"; filename*=UTF-8''Q3%20report%20%C3%A9%20%28final%29%27s.md`,
    );
    // A quote or a backslash would end or escape the quoted name (a multipart upload sends a quote as %22).
    expect(attachmentHeaders('a"b\\c.md', 1)['content-disposition']).toBe(
      `attachment; filename="a_b_c.md"; filename*=UTF-8''a%22b%5Cc.md`,
    );
    expect(content.headers.get('cache-control')).toBe('private, no-store');
  });

  it('uploads, lists, retrieves, returns the exact bytes and deletes', async () => {
    const created = await harness.client.files.create({
      file: await toFile(BINARY, 'notes.bin'),
      purpose: 'assistants',
    });
    expect(created).toMatchObject({
      object: 'file',
      bytes: BINARY.length,
      filename: 'notes.bin',
      purpose: 'assistants',
      status: 'processed',
    });
    expect(created.id).toMatch(/^file-[A-Za-z0-9]{24}$/);

    const listed = [];
    for await (const file of harness.client.files.list()) listed.push(file.id);
    expect(listed).toContain(created.id);
    expect(await harness.client.files.retrieve(created.id)).toEqual(created);

    const content = await harness.client.files.content(created.id);
    expect(Buffer.from(await content.arrayBuffer()).equals(BINARY)).toBe(true);

    expect(await harness.client.files.delete(created.id)).toEqual({
      id: created.id,
      object: 'file',
      deleted: true,
    });
    await expect(harness.client.files.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps a filename outside ASCII as it was sent', async () => {
    const created = await harness.client.files.create({
      file: await toFile(Buffer.from('x'), 'résumé 履歴書.txt'),
      purpose: 'user_data',
    });
    expect(created.filename).toBe('résumé 履歴書.txt');
  });
});

describe('the Files API on /v1', () => {
  let harness: Harness;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'runboard-files-test-'));
    harness = await createHarness({ dbPath: join(folder, 'runboard.db'), maxFileBytes: 1024 });
  });
  afterAll(async () => {
    await harness.close();
    rmSync(folder, { recursive: true, force: true });
  });
  const stored = () => readdirSync(join(folder, 'files'));

  it('keeps the bytes in files/ beside the database, and removes them on delete', async () => {
    const response = await upload(harness, { file: BINARY.subarray(0, 1000), purpose: 'user_data' });
    expect(response.status).toBe(200);
    const file = (await response.json()) as OpenAIFile;
    expect(readFileSync(join(folder, 'files', file.id)).equals(BINARY.subarray(0, 1000))).toBe(true);

    const content = await harness.app.request(`/v1/files/${file.id}/content`);
    expect(content.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await content.arrayBuffer()).equals(BINARY.subarray(0, 1000))).toBe(true);

    expect((await harness.app.request(`/v1/files/${file.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(stored()).not.toContain(file.id);
  });

  it('takes a file of exactly the bound and refuses one byte more, keeping nothing', async () => {
    const atBound = await upload(harness, { file: BINARY.subarray(0, 1024), purpose: 'assistants' });
    expect(atBound.status).toBe(200);
    const kept = (await atBound.json()) as OpenAIFile;

    const before = stored();
    const over = await upload(harness, { file: BINARY.subarray(0, 1025), purpose: 'assistants' });
    expect(await errorOf(over)).toEqual({
      status: 413,
      error: {
        message: 'File is too large. The maximum file size is 1024 bytes.',
        type: 'invalid_request_error',
        param: 'file',
        code: 'file_too_large',
      },
    });
    expect(stored()).toEqual(before);
    // Far past the bound: the rest of the body is read and dropped, the answer is the same.
    const far = await upload(harness, { file: Buffer.alloc(8 * 1024 * 1024, 1), purpose: 'assistants' });
    expect((await errorOf(far)).status).toBe(413);
    expect(stored()).toEqual(before);
    const list = (await (await harness.app.request('/v1/files')).json()) as ListResponse<OpenAIFile>;
    expect(list.data.map((file) => file.id)).toEqual([kept.id]);
  });

  it('refuses a missing file, a missing or unknown purpose, and keeps no bytes', async () => {
    const before = stored();
    expect(await errorOf(await upload(harness, { purpose: 'assistants' }))).toEqual({
      status: 400,
      error: {
        message: "Missing required parameter: 'file'.",
        type: 'invalid_request_error',
        param: 'file',
        code: 'missing_required_parameter',
      },
    });
    const noPurpose = await errorOf(await upload(harness, { file: BINARY.subarray(0, 10) }));
    expect(noPurpose).toMatchObject({
      status: 400,
      error: { message: "Missing required parameter: 'purpose'.", param: 'purpose' },
    });
    const badPurpose = await errorOf(
      await upload(harness, { file: BINARY.subarray(0, 10), purpose: 'search' }),
    );
    expect(badPurpose.status).toBe(400);
    expect(badPurpose.error.param).toBe('purpose');
    expect(badPurpose.error.message).toContain("'search'");
    const json = await harness.app.request('/v1/files', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: 'assistants' }),
    });
    expect((await errorOf(json)).error.message).toBe("Missing required parameter: 'file'.");
    expect(stored()).toEqual(before);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    for (const path of ['/v1/files/file-unknown', '/v1/files/file-unknown/content']) {
      expect(await errorOf(await harness.app.request(path))).toEqual({
        status: 404,
        error: {
          message: 'No such File object: file-unknown',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    }
    expect((await harness.app.request('/v1/files/file-unknown', { method: 'DELETE' })).status).toBe(404);
    const malformed = await errorOf(await harness.app.request('/v1/files/asst_123'));
    expect(malformed).toMatchObject({
      status: 400,
      error: {
        message: "Invalid 'file_id': 'asst_123'. Expected an ID that begins with 'file-'.",
        param: 'file_id',
      },
    });
  });
});

describe('an upload that arrives slowly, or is cut off', () => {
  let harness: Harness;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'runboard-files-test-'));
    harness = await createHarness({ dbPath: join(folder, 'runboard.db') });
  });
  afterAll(async () => {
    await harness.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const boundary = 'runboard-test-boundary';
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  const chunk = Buffer.alloc(256 * 1024, 7);

  /** A multipart upload whose body the test writes part by part, as a slow client would send it. */
  function slowUpload() {
    let body!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (body = controller) });
    const answer = harness.app.request('/v1/files', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    body.enqueue(new TextEncoder().encode(head));
    return { body, answer };
  }

  /** The size of the one file being written, once it has at least `bytes` on disk. */
  async function writtenOnDisk(bytes: number): Promise<number> {
    for (let attempt = 0; attempt < 500; attempt++) {
      const names = existsSync(join(folder, 'files')) ? readdirSync(join(folder, 'files')) : [];
      const size = names.length === 1 ? statSync(join(folder, 'files', names[0]!)).size : 0;
      if (size >= bytes) return size;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no file of ${bytes} bytes was written while the upload was still arriving`);
  }

  it('writes the bytes to disk as they arrive, before the body has ended', async () => {
    const { body, answer } = slowUpload();
    body.enqueue(new Uint8Array(chunk));
    body.enqueue(new Uint8Array(chunk));
    expect(await writtenOnDisk(256 * 1024)).toBeGreaterThanOrEqual(256 * 1024);
    body.enqueue(new Uint8Array(chunk));
    body.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
    body.close();
    const response = await answer;
    expect(response.status).toBe(200);
    const file = (await response.json()) as OpenAIFile;
    expect(file.bytes).toBe(3 * chunk.length);
    expect(statSync(join(folder, 'files', file.id)).size).toBe(3 * chunk.length);
    await harness.client.files.delete(file.id);
  });

  it('keeps nothing when the client goes away mid-upload, and answers', async () => {
    const { body, answer } = slowUpload();
    body.enqueue(new Uint8Array(chunk));
    body.enqueue(new Uint8Array(chunk));
    await writtenOnDisk(256 * 1024);
    body.error(new Error('the client went away'));
    expect((await answer).status).toBe(400);
    expect(readdirSync(join(folder, 'files'))).toEqual([]);
    expect(
      ((await (await harness.app.request('/v1/files')).json()) as ListResponse<OpenAIFile>).data,
    ).toEqual([]);
  });
});

describe('listing files', () => {
  let harness: Harness;
  const ids: string[] = [];
  beforeAll(async () => {
    harness = await createHarness();
    for (const purpose of ['assistants', 'batch', 'assistants', 'assistants']) {
      const response = await upload(harness, { file: Buffer.from(purpose), purpose });
      ids.push(((await response.json()) as OpenAIFile).id);
    }
  });
  afterAll(() => harness.close());
  const list = async (search: string) =>
    (await (await harness.app.request(`/v1/files${search}`)).json()) as ListResponse<OpenAIFile>;

  it('lists newest first, filters by purpose, and pages with limit and after', async () => {
    expect((await list('')).data.map((file) => file.id)).toEqual([...ids].reverse());
    const assistants = [ids[0], ids[2], ids[3]];
    expect((await list('?purpose=assistants&order=asc')).data.map((file) => file.id)).toEqual(assistants);
    const first = await list('?purpose=assistants&order=asc&limit=2');
    expect(first).toMatchObject({ first_id: ids[0], last_id: ids[2], has_more: true });
    const second = await list(`?purpose=assistants&order=asc&limit=2&after=${first.last_id}`);
    expect(second).toMatchObject({ data: [{ id: ids[3] }], has_more: false });
  });

  it('refuses a limit outside 1–10,000', async () => {
    const response = await harness.app.request('/v1/files?limit=10001');
    expect(await errorOf(response)).toMatchObject({ status: 400, error: { param: 'limit' } });
  });
});

describe('FolderFileBytes for an in-memory database', () => {
  it('keeps files in a temporary folder removed at close', () => {
    const bytes = FolderFileBytes.beside(':memory:');
    expect(existsSync(bytes.folder)).toBe(true);
    bytes.close();
    expect(existsSync(bytes.folder)).toBe(false);
  });
});

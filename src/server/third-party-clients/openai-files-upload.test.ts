import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startListeningEmulator, type ListeningEmulator } from '../test-support/listening-emulator';

/**
 * The openai SDK v7 uploading over a real socket through the whole server (perimeter, audit trail, embedded /v1):
 * a file well over the perimeter's 1 MiB bound for other bodies goes through and comes back byte for byte.
 */
let server: ListeningEmulator;
let client: OpenAI;
beforeAll(async () => {
  server = await startListeningEmulator();
  client = new OpenAI({ apiKey: 'anything', baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());

it('uploads a 5 MiB file, reads back the same bytes, and deletes it', async () => {
  const bytes = Buffer.alloc(5 * 1024 * 1024);
  for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 31) % 251;
  const file = await client.files.create({ file: await toFile(bytes, 'manual.pdf'), purpose: 'assistants' });
  expect(file).toMatchObject({ object: 'file', bytes: bytes.length, filename: 'manual.pdf' });
  const content = Buffer.from(await (await client.files.content(file.id)).arrayBuffer());
  expect(content.equals(bytes)).toBe(true);
  expect(await client.files.delete(file.id)).toMatchObject({ id: file.id, deleted: true });
  await expect(client.files.retrieve(file.id)).rejects.toMatchObject({ status: 404 });
});

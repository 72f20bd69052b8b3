import { Hono } from 'hono';
import { Readable } from 'node:stream';
import type { DeletedObject, OpenAIFile } from '../../shared/openai-types';
import { createFileFields, fileId, fileListQuery } from '../../shared/requests/file-requests';
import { EmulatorApiError, badRequest } from '../api-error';
import { fileTooLargeMessage, FileTooLarge, noSuchFile, startedRead } from '../files/file-bytes';
import { receiveUpload } from '../files/multipart-upload';
import { parseRequest, query } from '../validation/v1-validators';
import { attachmentHeaders } from './attachment-headers';
import { listResponse } from './list-envelope';
import type { RouteContext } from './route-context';

/** `/v1/files`: upload (multipart, streamed to `FileBytes`), list, retrieve, delete, and the bytes back. */
export function fileRoutes({ store, clock, files, vectorStoreFiles }: RouteContext): Hono {
  const routes = new Hono();

  const findFile = async (id: string): Promise<OpenAIFile> => {
    parseRequest(fileId, id, ['file_id']);
    const file = await store.files.get(id);
    if (!file) throw noSuchFile(id);
    return file;
  };

  routes.post('/', async (c) => {
    const upload = await receiveUpload(c.req.raw, files.bytes, files.maxBytes).catch((error: unknown) => {
      if (error instanceof FileTooLarge) throw tooLarge(files.maxBytes);
      throw error;
    });
    const { file, fields } = upload;
    try {
      if (!file)
        throw badRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
      const { purpose } = parseRequest(createFileFields, { purpose: fields.get('purpose') });
      const stored: OpenAIFile = {
        id: file.id,
        object: 'file',
        bytes: file.bytes,
        created_at: clock.nowSeconds(),
        filename: file.filename,
        purpose,
        status: 'processed',
      };
      await store.files.insert(stored);
      return c.json(stored);
    } catch (error) {
      if (file) await files.bytes.remove(file.id);
      throw error;
    }
  });

  routes.get('/', query(fileListQuery), async (c) => {
    const { purpose, ...list } = c.req.valid('query');
    return listResponse<OpenAIFile>(c, await store.files.page(purpose, list), list);
  });

  routes.get('/:file_id', async (c) => c.json(await findFile(c.req.param('file_id'))));

  routes.get('/:file_id/content', async (c) => {
    const file = await findFile(c.req.param('file_id'));
    const bytes = await startedRead(files.bytes, file.id, c.req.raw.signal);
    const body = Readable.toWeb(bytes) as ReadableStream<Uint8Array>;
    return c.body(body, 200, attachmentHeaders(file.filename, file.bytes));
  });

  /** The record goes first (the id then answers 404 at once), then the file leaves every vector store, then the bytes. */
  routes.delete('/:file_id', async (c) => {
    const file = await findFile(c.req.param('file_id'));
    if (!(await store.files.delete(file.id))) throw noSuchFile(file.id);
    await vectorStoreFiles.detachEverywhere(file.id);
    await files.bytes.remove(file.id);
    const deleted: DeletedObject<'file'> = { id: file.id, object: 'file', deleted: true };
    return c.json(deleted);
  });

  return routes;
}

function tooLarge(maxBytes: number): EmulatorApiError {
  return new EmulatorApiError(413, fileTooLargeMessage(maxBytes), 'file', 'file_too_large');
}

import { Hono, type Context } from 'hono';
import type { DeletedObject, VectorStoreFile, VectorStoreFileBatch } from '../../shared/openai-types';
import {
  createVectorStoreFileBatchRequest,
  createVectorStoreFileRequest,
  updateVectorStoreFileRequest,
  vectorStoreFileListQuery,
} from '../../shared/requests/vector-store-requests';
import { EmulatorApiError } from '../api-error';
import { jsonBody, pathIds, query } from '../validation/v1-validators';
import { fileContentPage } from '../vector-stores/file-content-page';
import { chunkingOf, newFileBatch } from '../vector-stores/vector-store-objects';
import { listResponse } from './list-envelope';
import { findFileBatch, findVectorStore, findVectorStoreFile, noSuchFileInStore } from './lookups';
import type { RouteContext } from './route-context';

/**
 * How long the SDK's `poll` helpers wait before asking again about a file or batch still `in_progress` (they read
 * this header; without it they wait 5 s).
 */
export const POLL_AFTER_MS = 250;

const answerPolled = (c: Context, body: VectorStoreFile | VectorStoreFileBatch) =>
  c.json(body, 200, body.status === 'in_progress' ? { 'openai-poll-after-ms': String(POLL_AFTER_MS) } : {});

/** Mounted at /vector_stores/:vector_store_id/files: add a file, list (with `filter`), retrieve, update, remove. */
export function vectorStoreFileRoutes({ store, files, vectorStoreFiles }: RouteContext): Hono {
  const routes = new Hono();

  routes.post('/', pathIds, jsonBody(createVectorStoreFileRequest), async (c) => {
    const vectorStore = await findVectorStore(store, c.req.param('vector_store_id')!);
    const request = c.req.valid('json');
    const files = [
      {
        fileId: request.file_id,
        chunking: chunkingOf(request.chunking_strategy),
        attributes: request.attributes ?? null,
      },
    ];
    const [file] = await store.transaction((tx) =>
      vectorStoreFiles.attach(tx, vectorStore.id, files, { param: () => 'file_id' }),
    );
    return answerPolled(c, file!);
  });

  routes.get('/', pathIds, query(vectorStoreFileListQuery), async (c) => {
    const vectorStore = await findVectorStore(store, c.req.param('vector_store_id')!);
    const { filter, ...list } = c.req.valid('query');
    return listResponse<VectorStoreFile>(
      c,
      await store.vectorStoreFiles.page(vectorStore.id, { status: filter }, list),
      list,
    );
  });

  const fileOf = (c: { req: { param(name: string): string | undefined } }) =>
    findVectorStoreFile(store, c.req.param('vector_store_id')!, c.req.param('file_id')!);

  routes.get('/:file_id', pathIds, async (c) => answerPolled(c, await fileOf(c)));

  /** VectorStoreFileContentResponse: the file's text parsed again from its bytes, bounded in bytes. */
  routes.get('/:file_id/content', pathIds, async (c) => {
    const file = await fileOf(c);
    try {
      const text = await vectorStoreFiles.parsedText(file, c.req.raw.signal);
      return c.json(fileContentPage(text, files.maxContentBytes));
    } catch (error) {
      if (error instanceof EmulatorApiError && error.status === 429) c.header('retry-after', '1');
      throw error;
    }
  });

  /**
   * UpdateVectorStoreFileAttributesRequest: the attributes replace the file's (null clears them), in one statement
   * that writes nothing else (the file may be processed meanwhile).
   */
  routes.post('/:file_id', pathIds, jsonBody(updateVectorStoreFileRequest), async (c) => {
    const file = await fileOf(c);
    const updated = await vectorStoreFiles.setAttributes(
      file.vector_store_id,
      file.id,
      c.req.valid('json').attributes,
    );
    if (!updated) throw noSuchFileInStore(file.vector_store_id, file.id);
    return c.json(updated);
  });

  /** The file leaves the store (its chunks with it); the file itself stays (`DELETE /v1/files/{id}` removes it). */
  routes.delete('/:file_id', pathIds, async (c) => {
    const file = await fileOf(c);
    await vectorStoreFiles.detach(file.vector_store_id, file.id);
    const deleted: DeletedObject<'vector_store.file.deleted'> = {
      id: file.id,
      object: 'vector_store.file.deleted',
      deleted: true,
    };
    return c.json(deleted);
  });

  return routes;
}

/** Mounted at /vector_stores/:vector_store_id/file_batches: create, retrieve, cancel, list its files. */
export function fileBatchRoutes({ store, clock, vectorStoreFiles }: RouteContext): Hono {
  const routes = new Hono();

  /** `file_ids` with one strategy and attributes for all, or `files`, each with its own. */
  routes.post('/', pathIds, jsonBody(createVectorStoreFileBatchRequest), async (c) => {
    const vectorStore = await findVectorStore(store, c.req.param('vector_store_id')!);
    const request = c.req.valid('json');
    const files = request.file_ids
      ? request.file_ids.map((fileId) => ({
          fileId,
          chunking: chunkingOf(request.chunking_strategy),
          attributes: request.attributes ?? null,
        }))
      : request.files!.map((file, index) => ({
          fileId: file.file_id,
          chunking: chunkingOf(file.chunking_strategy, `files[${index}].chunking_strategy`),
          attributes: file.attributes ?? null,
        }));
    const batch = await store.transaction(async (tx) => {
      const created = newFileBatch(vectorStore.id, files.length, clock.nowSeconds());
      await tx.fileBatches.insert(created);
      await vectorStoreFiles.attach(tx, vectorStore.id, files, {
        batchId: created.id,
        param: (index) => (request.file_ids ? 'file_ids' : `files[${index}].file_id`),
      });
      return (await tx.fileBatches.get(created.id))!;
    });
    return answerPolled(c, batch);
  });

  const batchOf = (c: { req: { param(name: string): string | undefined } }) =>
    findFileBatch(store, c.req.param('vector_store_id')!, c.req.param('batch_id')!);

  routes.get('/:batch_id', pathIds, async (c) => answerPolled(c, await batchOf(c)));

  /** Files still waiting are cancelled (their processing stops); those already done stay. */
  routes.post('/:batch_id/cancel', pathIds, async (c) => {
    const batch = await batchOf(c);
    await vectorStoreFiles.cancelBatch(batch.vector_store_id, batch.id);
    return c.json(await batchOf(c));
  });

  routes.get('/:batch_id/files', pathIds, query(vectorStoreFileListQuery), async (c) => {
    const batch = await batchOf(c);
    const { filter, ...list } = c.req.valid('query');
    return listResponse<VectorStoreFile>(
      c,
      await store.vectorStoreFiles.page(batch.vector_store_id, { status: filter, batchId: batch.id }, list),
      list,
    );
  });

  return routes;
}

import { Hono } from 'hono';
import type { DeletedObject, VectorStore } from '../../shared/openai-types';
import {
  createVectorStoreRequest,
  modifyVectorStoreRequest,
  vectorStoreListQuery,
  vectorStoreSearchRequest,
} from '../../shared/requests/vector-store-requests';
import { badRequest } from '../api-error';
import { jsonBody, pathIds, query } from '../validation/v1-validators';
import {
  chunkingOf,
  expiredMessage,
  findVectorStoreForUpdate,
  isExpired,
  newVectorStore,
  presentVectorStore,
  touched,
  withExpiry,
} from '../vector-stores/vector-store-objects';
import { searchVectorStore } from '../vector-stores/vector-store-search';
import { listResponse } from './list-envelope';
import { findVectorStore } from './lookups';
import type { RouteContext } from './route-context';

/** `/v1/vector_stores`: create (with `file_ids`), list, retrieve, modify, delete, and search. */
export function vectorStoreRoutes({ store, clock, fileSearch, vectorStoreFiles }: RouteContext): Hono {
  const routes = new Hono();
  const present = (vectorStore: VectorStore) => presentVectorStore(vectorStore, clock.nowSeconds());

  routes.post('/', jsonBody(createVectorStoreRequest), async (c) => {
    const request = c.req.valid('json');
    const chunking = chunkingOf(request.chunking_strategy);
    const files = (request.file_ids ?? []).map((fileId) => ({ fileId, chunking, attributes: null }));
    const created = await store.transaction(async (tx) => {
      const vectorStore = newVectorStore(request, clock.nowSeconds());
      await tx.vectorStores.insert(vectorStore);
      await vectorStoreFiles.attach(tx, vectorStore.id, files, { param: () => 'file_ids' });
      return (await tx.vectorStores.get(vectorStore.id))!;
    });
    return c.json(present(created));
  });

  routes.get('/', query(vectorStoreListQuery), async (c) => {
    const list = c.req.valid('query');
    const page = await store.vectorStores.page(list);
    const presented =
      'rows' in page
        ? {
            ...page,
            rows: page.rows.map((row) => ({
              id: row.id,
              body: JSON.stringify(present(JSON.parse(row.body) as VectorStore)),
            })),
          }
        : page;
    return listResponse<VectorStore>(c, presented, list);
  });

  const vectorStoreOf = (c: { req: { param(name: string): string | undefined } }) =>
    findVectorStore(store, c.req.param('vector_store_id')!);

  routes.get('/:vector_store_id', pathIds, async (c) => c.json(present(await vectorStoreOf(c))));

  /** `name` and `metadata` replace theirs when given; `expires_after` too, and null removes it. */
  routes.post('/:vector_store_id', pathIds, jsonBody(modifyVectorStoreRequest), async (c) => {
    const changes = c.req.valid('json');
    const updated = await store.transaction(async (tx) => {
      const vectorStore = await findVectorStoreForUpdate(tx, c.req.param('vector_store_id'));
      let next: VectorStore = {
        ...vectorStore,
        name: changes.name ?? vectorStore.name,
        metadata: changes.metadata ?? vectorStore.metadata,
      };
      if (changes.expires_after !== undefined) next = withExpiry(next, changes.expires_after);
      await tx.vectorStores.update(next);
      return next;
    });
    return c.json(present(updated));
  });

  routes.delete('/:vector_store_id', pathIds, async (c) => {
    const vectorStore = await vectorStoreOf(c);
    await vectorStoreFiles.deleteStore(vectorStore.id);
    const deleted: DeletedObject<'vector_store.deleted'> = {
      id: vectorStore.id,
      object: 'vector_store.deleted',
      deleted: true,
    };
    return c.json(deleted);
  });

  /** A search makes the store active: `last_active_at` moves, and `expires_at` with it. */
  routes.post('/:vector_store_id/search', pathIds, jsonBody(vectorStoreSearchRequest), async (c) => {
    const vectorStore = await vectorStoreOf(c);
    const now = clock.nowSeconds();
    if (isExpired(vectorStore, now)) {
      throw badRequest(expiredMessage(vectorStore.id), 'vector_store_id', 'vector_store_expired');
    }
    const page = await searchVectorStore(
      store,
      fileSearch,
      vectorStore,
      c.req.valid('json'),
      c.req.raw.signal,
    );
    await store.transaction(async (tx) => {
      const current = await tx.vectorStores.getForUpdate(vectorStore.id);
      if (current) await tx.vectorStores.update(touched(current, now));
    });
    return c.json(page);
  });

  return routes;
}

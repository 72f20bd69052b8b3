import * as z from 'zod';
import { METADATA_LIMITS, VECTOR_STORE_FILE_STATUSES } from '../openai-types';
import { fileId } from './file-requests';
import { firstOrNone, limitParam, listQuery, orderParam } from './list-queries';
import { idOf, integer, keyValueMap, metadata, optional, refuse } from './request-fields';

/**
 * ChunkingStrategyRequestParam: `auto`, or `static` with its two numbers. The shape is checked here; the ranges
 * (size 100–4096, overlap at most half the size) by the file-search engine's `checkStaticChunking`.
 */
export const chunkingStrategy = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto') }),
  z.strictObject({
    type: z.literal('static'),
    static: z.strictObject({ max_chunk_size_tokens: integer(), chunk_overlap_tokens: integer() }),
  }),
]);

/** VectorStoreExpirationAfter: `last_active_at` + 1 to 365 days. */
export const expiresAfter = z.strictObject({
  anchor: z.literal('last_active_at'),
  days: integer({ min: 1, max: 365 }),
});

/** VectorStoreFileAttributes: at most 16 pairs; strings (≤ 512), numbers or booleans. */
export const fileAttributes = keyValueMap(
  z.union([z.string().max(METADATA_LIMITS.maxValueLength), z.number(), z.boolean()]),
);

/** The most files one vector store create names (the spec's `maxItems`), and one batch. */
export const MAX_CREATE_FILE_IDS = 500;
export const MAX_BATCH_FILES = 2000;

/** CreateVectorStoreRequest (`chunking_strategy` applies to `file_ids`). */
export const createVectorStoreRequest = z.strictObject({
  file_ids: optional(z.array(fileId).max(MAX_CREATE_FILE_IDS)),
  name: optional(z.string().max(256)),
  description: optional(z.string().max(512)),
  expires_after: optional(expiresAfter),
  chunking_strategy: optional(chunkingStrategy),
  metadata: optional(metadata),
});

/** UpdateVectorStoreRequest: absent leaves a field; `expires_after: null` removes the policy. */
export const modifyVectorStoreRequest = z.strictObject({
  name: optional(z.string().max(256)),
  expires_after: optional(expiresAfter),
  metadata: optional(metadata),
});

/** CreateVectorStoreFileRequest */
export const createVectorStoreFileRequest = z.strictObject({
  file_id: fileId,
  chunking_strategy: optional(chunkingStrategy),
  attributes: optional(fileAttributes),
});

/** UpdateVectorStoreFileAttributesRequest */
export const updateVectorStoreFileRequest = z.strictObject({ attributes: fileAttributes.nullable() });

/** CreateVectorStoreFileBatchRequest: `file_ids` (the same strategy and attributes for all) or `files`, one of them. */
export const createVectorStoreFileBatchRequest = z
  .strictObject({
    file_ids: optional(z.array(fileId).min(1).max(MAX_BATCH_FILES)),
    files: optional(z.array(createVectorStoreFileRequest).min(1).max(MAX_BATCH_FILES)),
    chunking_strategy: optional(chunkingStrategy),
    attributes: optional(fileAttributes),
  })
  .check((ctx) => {
    const { file_ids, files } = ctx.value;
    if (file_ids == null && files == null) {
      refuse(ctx, {
        code: 'missing_required_parameter',
        at: 'file_ids',
        word: () => "Missing required parameter: 'file_ids'.",
      });
    } else if (file_ids != null && files != null) {
      refuse(ctx, {
        code: 'invalid_value',
        at: 'files',
        word: () => "Invalid 'files': 'file_ids' and 'files' are mutually exclusive; send one of them.",
      });
    }
  });

const COMPARISONS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'] as const;

/** ComparisonFilter | CompoundFilter: a condition on a vector store file's attributes. */
export type AttributeFilter =
  | {
      type: (typeof COMPARISONS)[number];
      key: string;
      value: string | number | boolean | Array<string | number>;
    }
  | { type: 'and' | 'or'; filters: AttributeFilter[] };

const comparisonFilter = z.strictObject({
  type: z.enum(COMPARISONS),
  key: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
});

export const attributeFilter: z.ZodType<AttributeFilter> = z.lazy(() =>
  z.union([
    comparisonFilter,
    z.strictObject({ type: z.enum(['and', 'or']), filters: z.array(attributeFilter).max(64) }),
  ]),
);

/** VectorStoreSearchRequest: the ranges of `max_num_results` and `ranking_options` are the engine's to check. */
export const vectorStoreSearchRequest = z.strictObject({
  query: z.union([z.string(), z.array(z.string())]),
  rewrite_query: optional(z.boolean()),
  max_num_results: optional(integer()),
  filters: optional(attributeFilter),
  ranking_options: optional(
    z.strictObject({
      ranker: optional(z.enum(['none', 'auto', 'default-2024-11-15'])),
      score_threshold: optional(z.number()),
    }),
  ),
});

/**
 * `tool_resources.file_search` of an assistant or thread create: at most one store, named by id or made by the
 * `vector_stores` helper (`file_ids`, `chunking_strategy`, `metadata`) with the object. Other fields are kept as sent.
 */
export const fileSearchResources = z.looseObject({
  vector_store_ids: optional(z.array(idOf('vs')).max(1)),
  vector_stores: optional(
    z
      .array(
        z.strictObject({
          file_ids: optional(z.array(fileId).max(10_000)),
          chunking_strategy: optional(chunkingStrategy),
          metadata: optional(metadata),
        }),
      )
      .max(1),
  ),
});

/** `filter` of the vector store file lists: one status. */
const statusFilter = z.preprocess(firstOrNone, z.enum(VECTOR_STORE_FILE_STATUSES).optional());

/** `GET /vector_stores`: the list parameters with `vs_` cursors. */
export const vectorStoreListQuery = listQuery('vs');

/** `GET /vector_stores/{id}/files` and a batch's files: file cursors (`file-…`) and `filter`. */
export const vectorStoreFileListQuery = z.object({
  limit: limitParam(100, 20),
  order: orderParam,
  after: z.preprocess(firstOrNone, fileId.optional()),
  before: z.preprocess(firstOrNone, fileId.optional()),
  filter: statusFilter,
});

export type CreateVectorStoreRequest = z.output<typeof createVectorStoreRequest>;
export type ModifyVectorStoreRequest = z.output<typeof modifyVectorStoreRequest>;
export type CreateVectorStoreFileRequest = z.output<typeof createVectorStoreFileRequest>;
export type CreateVectorStoreFileBatchRequest = z.output<typeof createVectorStoreFileBatchRequest>;
export type VectorStoreSearchRequest = z.output<typeof vectorStoreSearchRequest>;
export type ChunkingStrategyRequest = z.output<typeof chunkingStrategy>;

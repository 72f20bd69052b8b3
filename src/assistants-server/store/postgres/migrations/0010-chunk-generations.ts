import type { Migration } from './migration';

/**
 * Which processing of a vector store file its chunks come from (the `vector_store_files.seq` it read): a processing
 * older than the chunks held writes nothing, so instances that process the same file one after the other keep the
 * newer one's chunks (`PostgresChunkIndex.putFile`). Chunks written before this are of generation 0.
 */
const sql = `
ALTER TABLE file_search_files ADD COLUMN generation bigint NOT NULL DEFAULT 0;
`;

export const chunkGenerations: Migration = { version: 10, name: 'chunk generations', sql };

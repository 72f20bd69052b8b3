import type { Migration } from './migration';

/**
 * Two parts of issue 22 on PostgreSQL: uploaded files' bytes, and the file-search index.
 *
 * Uploaded files' bytes in the database, which every instance reads (`files/postgres-file-bytes.ts`): a row per
 * file (`file_contents`) and its bytes in parts of at most 1 MiB (`file_content_parts`), written as the upload
 * streams in. A content is `kept` once its `files` record is inserted (the record's insert marks it, in the same
 * statement); one not kept and not written to for an hour is an upload that died with its instance, and the next
 * upload sweeps it. Deleting the record deletes its content in the same statement; parts go with their content.
 *
 * The file-search index (`file-search/postgres-chunk-index.ts`), the tables of SQLite's `SqliteChunkIndex`: the
 * files of each vector store, their chunks with the words as a `tsvector` (GIN: `@@` finds the chunks holding any
 * of a query's words), embeddings apart as `bytea` of Float32 (a vector scan reads only them, in a store's chunk
 * order), and each store's version, bumped by every write, for the instances' vector caches.
 */
const sql = `
CREATE TABLE file_contents (
  file_id text COLLATE "C" PRIMARY KEY,
  bytes bigint NOT NULL DEFAULT 0,
  kept boolean NOT NULL DEFAULT false,
  written_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX file_contents_unkept ON file_contents (written_at) WHERE NOT kept;

CREATE TABLE file_content_parts (
  file_id text COLLATE "C" NOT NULL REFERENCES file_contents (file_id) ON DELETE CASCADE,
  part integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (file_id, part)
);
-- Parts are written once and read whole: compressing 1 MiB of an upload (often already compressed) costs more
-- than it saves.
ALTER TABLE file_content_parts ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE file_search_files (
  vector_store_id text COLLATE "C" NOT NULL,
  file_id text COLLATE "C" NOT NULL,
  filename text NOT NULL,
  chunk_count integer NOT NULL,
  usage_bytes bigint NOT NULL,
  PRIMARY KEY (vector_store_id, file_id)
);

CREATE TABLE file_search_chunks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vector_store_id text COLLATE "C" NOT NULL,
  file_id text COLLATE "C" NOT NULL,
  chunk_index integer NOT NULL,
  text text NOT NULL,
  tokens integer NOT NULL,
  words tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
);
CREATE INDEX file_search_chunks_by_file ON file_search_chunks (vector_store_id, file_id, chunk_index);
CREATE INDEX file_search_chunks_words ON file_search_chunks USING gin (words);

CREATE TABLE file_search_embeddings (
  chunk_id bigint PRIMARY KEY REFERENCES file_search_chunks (id) ON DELETE CASCADE,
  vector_store_id text COLLATE "C" NOT NULL,
  embedding bytea NOT NULL
);
CREATE INDEX file_search_embeddings_by_store ON file_search_embeddings (vector_store_id, chunk_id);
-- Kept in the row (a 768-dimension vector is 3 KB; past a page, out of line): a scan then reads no TOAST table.
ALTER TABLE file_search_embeddings ALTER COLUMN embedding SET STORAGE MAIN;

-- Never deleted, so a store's version is never used twice.
CREATE TABLE file_search_store_versions (
  vector_store_id text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL
);
`;

export const filesAndSearch: Migration = { version: 4, name: 'file bytes and file search', sql };

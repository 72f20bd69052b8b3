import type { Migration } from './migration';

/**
 * Uploaded files' bytes in the database, which every instance reads (`files/postgres-file-bytes.ts`): a row per
 * file (`file_contents`) and its bytes in parts of at most 1 MiB (`file_content_parts`), written as the upload
 * streams in. A content is `kept` once its `files` record is inserted (the record's insert marks it, in the same
 * statement); one not kept and not written to for an hour is an upload that died with its instance, and the next
 * upload sweeps it. Deleting the record deletes its content in the same statement; parts go with their content.
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
`;

export const fileBytes: Migration = { version: 3, name: 'file bytes', sql };

import type { Migration } from './migration';

/** Deleting a file (`DELETE /v1/files/{id}`) finds the vector stores that hold it by the file's id. */
const sql = `
CREATE INDEX vector_store_files_by_file ON vector_store_files (id);
`;

export const vectorStoreFilesByFile: Migration = { version: 5, name: 'vector store files by file', sql };

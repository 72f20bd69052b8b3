import { schema } from './0001-schema';
import { files } from './0002-files';
import { vectorStores } from './0003-vector-stores';
import { filesAndSearch } from './0004-files-and-search';
import { vectorStoreFilesByFile } from './0005-vector-store-files-by-file';
import { runIdStarts } from './0006-run-id-starts';
import { runSearchTable } from './0007-run-search-table';
import { runTexts } from './0008-run-texts';
import { runSearchTextKeys } from './0009-run-search-text-keys';
import { chunkGenerations } from './0010-chunk-generations';
import { runTextsReleasedPerStatement } from './0011-run-texts-released-per-statement';
import type { Migration } from './migration';

/** Every migration, oldest first. A new one is appended here, with the next version. */
export const MIGRATIONS: readonly Migration[] = [
  schema,
  files,
  vectorStores,
  filesAndSearch,
  vectorStoreFilesByFile,
  runIdStarts,
  runSearchTable,
  runTexts,
  runSearchTextKeys,
  chunkGenerations,
  runTextsReleasedPerStatement,
];

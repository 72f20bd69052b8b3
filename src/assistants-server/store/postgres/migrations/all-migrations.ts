import { schema } from './0001-schema';
import { files } from './0002-files';
import { filesAndSearch } from './0003-files-and-search';
import type { Migration } from './migration';

/**
 * Every migration, oldest first. A new one is appended here, with the next version.
 * (Session 4: `0003-files-and-search.ts` is number 4 in the plan, after s4-vstores' vector stores; versions must not have
 * a gap, so on its own branch it is 3. Whoever merges second renumbers: file name and `version`.)
 */
export const MIGRATIONS: readonly Migration[] = [schema, files, filesAndSearch];

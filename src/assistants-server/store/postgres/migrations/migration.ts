/** One step of the schema: applied once, in order of `version`, inside one transaction. */
export interface Migration {
  /** 1, 2, 3…: no gaps, never reused. */
  version: number;
  /** A few words, kept in the `schema_migrations` table beside the version. */
  name: string;
  sql: string;
}

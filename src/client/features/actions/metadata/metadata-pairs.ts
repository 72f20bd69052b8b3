import type { Metadata } from '../../../../shared/openai-types';
import { METADATA_LIMITS } from '../../../../shared/openai-types';

/** One editable key/value line. `id` keeps React's identity while the key is being typed. */
export interface MetadataRow {
  id: string;
  key: string;
  value: string;
}

export interface MetadataProblems {
  /** Per row id: what is wrong with its key and/or value. */
  rows: Record<string, { key?: string; value?: string }>;
  /** About the whole object (too many pairs). */
  form: string | null;
  /** Nothing is wrong: the metadata can be sent. */
  valid: boolean;
}

export interface MetadataChange {
  kind: 'added' | 'changed' | 'removed';
  key: string;
  before?: string;
  after?: string;
}

let nextRowId = 0;
export function newRow(key = '', value = ''): MetadataRow {
  nextRowId += 1;
  return { id: `pair-${nextRowId}`, key, value };
}

export function rowsFromMetadata(metadata: Metadata | null | undefined): MetadataRow[] {
  return Object.entries(metadata ?? {}).map(([key, value]) => newRow(key, value));
}

const isBlank = (row: MetadataRow) => row.key === '' && row.value === '';

/** The pairs that will be sent: blank lines are left out. */
export function metadataFromRows(rows: readonly MetadataRow[]): Metadata {
  const metadata: Metadata = {};
  for (const row of rows) if (!isBlank(row)) metadata[row.key] = row.value;
  return metadata;
}

/** OpenAI's limits (16 pairs, keys ≤ 64 characters, values ≤ 512), checked before anything is sent. */
export function validateMetadataRows(rows: readonly MetadataRow[]): MetadataProblems {
  const problems: MetadataProblems['rows'] = {};
  const seen = new Map<string, number>();
  for (const row of rows) if (!isBlank(row)) seen.set(row.key, (seen.get(row.key) ?? 0) + 1);

  for (const row of rows) {
    if (isBlank(row)) continue;
    const problem: { key?: string; value?: string } = {};
    if (row.key === '') problem.key = 'Enter a key for this value.';
    else if (row.key.length > METADATA_LIMITS.maxKeyLength) {
      problem.key = `Keys are at most ${METADATA_LIMITS.maxKeyLength} characters; this one has ${row.key.length}.`;
    } else if ((seen.get(row.key) ?? 0) > 1) problem.key = `The key “${row.key}” is used more than once.`;
    if (row.value.length > METADATA_LIMITS.maxValueLength) {
      problem.value = `Values are at most ${METADATA_LIMITS.maxValueLength} characters; this one has ${row.value.length}.`;
    }
    if (problem.key || problem.value) problems[row.id] = problem;
  }

  const pairs = rows.filter((row) => !isBlank(row)).length;
  const form =
    pairs > METADATA_LIMITS.maxPairs
      ? `At most ${METADATA_LIMITS.maxPairs} pairs are allowed; remove ${pairs - METADATA_LIMITS.maxPairs}.`
      : null;
  return { rows: problems, form, valid: form === null && Object.keys(problems).length === 0 };
}

/** What saving `after` over `before` does, key by key (modify replaces the whole object). */
export function diffMetadata(before: Metadata | null | undefined, after: Metadata): MetadataChange[] {
  const previous = before ?? {};
  const changes: MetadataChange[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!(key in previous)) changes.push({ kind: 'added', key, after: value });
    else if (previous[key] !== value)
      changes.push({ kind: 'changed', key, before: previous[key], after: value });
  }
  for (const [key, value] of Object.entries(previous)) {
    if (!(key in after)) changes.push({ kind: 'removed', key, before: value });
  }
  return changes;
}

export function sameMetadata(a: Metadata | null | undefined, b: Metadata | null | undefined): boolean {
  return diffMetadata(a, b ?? {}).length === 0;
}

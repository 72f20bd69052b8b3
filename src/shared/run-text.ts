import type { Run } from './openai-types';

/** "key: value" pairs of a run's metadata, in one searchable line. */
export function metadataText(run: Run): string {
  return Object.entries(run.metadata ?? {})
    .map(([key, value]) => `${key}: ${value}`)
    .join(' ');
}

/** The outcome in one line: the error code and message, or why the run is incomplete. */
export function outcomeText(run: Run): string {
  if (run.last_error) return `${run.last_error.code}: ${run.last_error.message}`;
  if (run.incomplete_details?.reason) return `incomplete: ${run.incomplete_details.reason}`;
  return '';
}

/**
 * What a text search of runs looks in, lowercased: the run, thread and assistant ids, the model, the metadata and
 * the outcome (`last_error`, incomplete reason). The server's query index stores exactly this.
 */
export function runSearchText(run: Run): string {
  return [run.id, run.thread_id, run.assistant_id, run.model, metadataText(run), outcomeText(run)]
    .join(' ')
    .toLowerCase();
}

/** The words of a search: every one must appear in the search text (ignoring case). */
export function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

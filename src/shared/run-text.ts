import type { Run } from './openai-types';
import type { IndexedRun } from './runs-query-types';

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
 * What a text search of runs looks in, lowercased: the thread and assistant ids, the model, the metadata, the
 * outcome (`last_error`, incomplete reason) and the preview (input, reply or what it asks for). The run's own id is
 * not in it: a word finds a run by its id when the id starts with the word (`runIdStarts`), as a pasted id or its
 * beginning does (ids are random: a piece from their middle names nothing a person looks for).
 */
export function runSearchText(run: IndexedRun): string {
  return [
    run.thread_id,
    run.assistant_id,
    run.model,
    metadataText(run),
    outcomeText(run),
    run.preview?.input ?? '',
    run.preview?.output ?? '',
  ]
    .join(' ')
    .toLowerCase();
}

/**
 * Whether a run matches a text search: every word appears in its search text, or in its assistant's name (a name can
 * change, so it is not stored with the run: the server and the browser look it up when they search), or starts its
 * id.
 */
export function matchesSearch(
  run: Run,
  words: readonly string[],
  assistantName: (assistantId: string) => string | null = () => null,
): boolean {
  const haystack = runSearchText(run);
  const name = assistantName(run.assistant_id)?.toLowerCase() ?? '';
  return words.every((word) => haystack.includes(word) || name.includes(word) || runIdStarts(run, word));
}

/** Whether a run's id starts with a word of a search (lowercase: ids are matched ignoring case, as all text is). */
export function runIdStarts(run: Run, word: string): boolean {
  return run.id.toLowerCase().startsWith(word);
}

/** The assistants whose name holds `word` (lowercase), among `names` (id → name). */
export function assistantIdsNamed(names: ReadonlyMap<string, string>, word: string): string[] {
  const ids: string[] = [];
  for (const [id, name] of names) if (name.toLowerCase().includes(word)) ids.push(id);
  return ids;
}

/** The words of a search: every one must appear in the search text or the assistant's name (ignoring case). */
export function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

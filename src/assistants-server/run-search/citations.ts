import type {
  FileCitationAnnotation,
  FileSearchResult,
  FileSearchToolCallDetails,
} from '../../shared/openai-types';

/**
 * How a reply cites what a file_search found, as OpenAI's models did: a marker `【c:r†file name】` right after the
 * sentence that uses it, where `c` is the run's file_search call (0 for its first) and `r` the result's place in
 * that call's results. The search results the model reads carry each result's marker, ready to copy; the reply's
 * markers become `file_citation` annotations (the marker is the annotation's `text`, and stays in the text).
 */
export function citationMarker(callIndex: number, resultIndex: number, fileName: string): string {
  return `【${callIndex}:${resultIndex}†${fileName.replace(/[】\n\r]/g, ' ').slice(0, MAX_MARKER_NAME)}】`;
}

/** The file name in a marker is cut to this many characters (the marker is copied by the model). */
const MAX_MARKER_NAME = 128;
/** A marker: 【c:r】 or 【c:r†anything up to 256 characters but 】 or a line break】. */
const MARKER = /【(\d{1,4}):(\d{1,4})(?:†[^】\n]{0,256})?】/g;
/** The most annotations one message gets (a reply that repeats markers endlessly stays bounded). */
export const MAX_CITATIONS = 256;

/**
 * The `file_citation` annotations of a reply: one per marker that names a result of one of the run's calls, in
 * text order; markers naming nothing (a number the model made up) stay plain text. Indices are UTF-16 code units,
 * `end_index` exclusive, so `value.slice(start_index, end_index)` is the marker.
 */
export function fileCitations(
  text: string,
  calls: readonly FileSearchToolCallDetails[],
): FileCitationAnnotation[] {
  if (calls.length === 0 || !text.includes('【')) return [];
  const annotations: FileCitationAnnotation[] = [];
  for (const match of text.matchAll(MARKER)) {
    if (annotations.length === MAX_CITATIONS) break;
    const result = calls[Number(match[1])]?.file_search.results?.[Number(match[2])];
    if (!result) continue;
    annotations.push({
      type: 'file_citation',
      text: match[0],
      start_index: match.index,
      end_index: match.index + match[0].length,
      file_citation: { file_id: result.file_id },
    });
  }
  return annotations;
}

/** The most characters of results one call feeds back to the model (about 16,000 tokens, as OpenAI's tool did). */
export const MAX_RESULT_CHARS = 64_000;

export const INVALID_SEARCH_ARGUMENTS =
  'The search did not run: its arguments must be {"queries": [...]}, 1 to 10 non-empty strings.';
export const NO_RESULTS = 'No results: nothing in the files matched these queries.';

/**
 * What the model reads as the answer to its file_search call `callIndex`: each result with its marker, file and
 * score, then its text; at most `maxChars` in all (the last result that does not fit is cut, the rest left out, and
 * the cut said). A call whose arguments were wrong (no queries) says how to call it.
 */
export function resultsForModel(
  callIndex: number,
  call: Pick<FileSearchToolCallDetails, 'file_search'>,
  maxChars = MAX_RESULT_CHARS,
): string {
  const results = call.file_search.results ?? [];
  if ((call.file_search.queries ?? []).length === 0) return INVALID_SEARCH_ARGUMENTS;
  if (results.length === 0) return NO_RESULTS;
  const example = citationMarker(callIndex, 0, results[0]!.file_name);
  let text = `${results.length} result${results.length === 1 ? '' : 's'}. Cite what you use by copying its marker (such as ${example}) right after the sentence that uses it.`;
  for (const [index, result] of results.entries()) {
    const entry = `\n\n${citationMarker(callIndex, index, result.file_name)} (score ${result.score.toFixed(2)})\n${contentText(result)}`;
    // Room for the note that says results were cut is kept at every step.
    if (text.length + entry.length + CUT_NOTE.length > maxChars) {
      const room = maxChars - text.length - CUT_NOTE.length;
      if (room > 200) text += entry.slice(0, room);
      text += CUT_NOTE;
      break;
    }
    text += entry;
  }
  return text;
}

const CUT_NOTE = '\n\n[The remaining results were left out: too long.]';

function contentText(result: FileSearchResult): string {
  return (result.content ?? []).map((part) => part.text).join('\n');
}

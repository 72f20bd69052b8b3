/** Query words beyond this many are ignored (a pasted page as a query stays one cheap search). */
export const MAX_QUERY_TERMS = 64;

/**
 * English words too common to tell chunks apart. Left out of a query that has other words: a text rank gives them
 * almost no weight anyway, but each one makes the engine read and rank nearly every chunk.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my of ' +
    'on or our she should so than that the their them then there these they this to was we were what when where ' +
    'which who whom why will with would you your'
  ).split(' '),
);

/**
 * A query's distinct words (letters and digits only, lowercase; the engines' query syntax is never passed through),
 * the first `MAX_QUERY_TERMS` of them, stop words left out unless there is nothing else. Empty when it has none.
 * Each engine searches for any of them and ranks chunks with more and rarer words first.
 */
export function queryTerms(query: string): string[] {
  const words = new Set<string>();
  for (const [word] of query.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    words.add(word);
    if (words.size === MAX_QUERY_TERMS) break;
  }
  const telling = [...words].filter((word) => !STOP_WORDS.has(word));
  return telling.length > 0 ? telling : [...words];
}

/**
 * The most chunks a text search ranks, about: ranking reads every chunk that holds any of the query's words, so at a
 * million chunks a word found in one chunk of three (a question's "made" or "work") would cost seconds alone.
 */
export const MATCH_BUDGET = 20_000;

/**
 * The words a search keeps when its engine can tell how many chunks hold each (`chunks`, an estimate): rarest first
 * while their chunks add up to at most `budget`, and always the rarest. A word left out is one found in so many chunks
 * that it tells them apart least (bm25 gives it the least weight, near none past half of them); the chunks holding
 * the rarer words are the ones ranked, as Lucene's common-terms query does.
 */
export function termsWithinBudget(
  estimates: ReadonlyArray<{ term: string; chunks: number }>,
  budget = MATCH_BUDGET,
): string[] {
  const kept: string[] = [];
  let total = 0;
  for (const { term, chunks } of [...estimates].sort((a, b) => a.chunks - b.chunks)) {
    if (kept.length > 0 && total + chunks > budget) break;
    kept.push(term);
    total += chunks;
  }
  return kept;
}

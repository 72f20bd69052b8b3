import type { FileSearchToolCallDetails } from '../../../shared/openai-types';
import { FileLink } from '../../ui/file-link';

/**
 * A `file_search` tool call: what it searched for (when the server says), how it ranked, and what it found: each
 * result's file (a link to it), score and, when the steps were read with the content, the chunk's text.
 */
export function FileSearchCall({ call }: { call: FileSearchToolCallDetails }) {
  const { queries, ranking_options: ranking, results } = call.file_search;
  return (
    <li aria-label={`Tool call file_search ${call.id}`} className="flex flex-col gap-1">
      <p>
        <span className="font-mono font-semibold">file_search</span>{' '}
        <span className="font-mono text-[11px] text-faint">{call.id}</span>
      </p>
      {queries && queries.length > 0 && (
        <>
          <p className="text-[11px] text-muted">Queries</p>
          <ul aria-label={`Queries of ${call.id}`} className="flex flex-col gap-0.5">
            {queries.map((query, index) => (
              <li key={index} className="rounded bg-raised px-1 py-0.5 font-mono text-[11px]">
                {query}
              </li>
            ))}
          </ul>
        </>
      )}
      {ranking && (
        <p className="text-[11px] text-muted">
          Ranking: ranker <span className="font-mono text-fg">{ranking.ranker}</span>, score threshold{' '}
          <span className="font-mono text-fg tabular-nums">{ranking.score_threshold}</span>
        </p>
      )}
      <p className="text-[11px] text-muted">
        {results === undefined
          ? 'Results not reported'
          : results.length === 0
            ? 'No result'
            : `${results.length} ${results.length === 1 ? 'result' : 'results'}`}
      </p>
      {results && results.length > 0 && (
        <ol aria-label={`Results of ${call.id}`} className="flex flex-col gap-1.5">
          {results.map((result, index) => (
            <li
              key={`${result.file_id}-${index}`}
              aria-label={`Result ${index + 1}: ${result.file_name}, score ${formatScore(result.score)}`}
              className="rounded border border-line p-1.5"
            >
              <p className="flex min-w-0 items-baseline gap-2">
                <span className="text-[11px] text-muted tabular-nums">{index + 1}.</span>
                <FileLink fileId={result.file_id} className="min-w-0 truncate font-medium">
                  {result.file_name || result.file_id}
                </FileLink>
                <span className="ml-auto shrink-0 text-[11px] text-muted tabular-nums">
                  score {formatScore(result.score)}
                </span>
              </p>
              {result.content?.map((part, partIndex) => (
                <blockquote
                  key={partIndex}
                  className="mt-1 max-h-40 overflow-y-auto rounded bg-raised p-1 text-[11px] whitespace-pre-wrap"
                  tabIndex={0}
                  aria-label={`Text found in ${result.file_name}`}
                >
                  {part.text}
                </blockquote>
              ))}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

/** A relevance score (0 to 1) to three decimals; a score above zero never reads as zero. */
export const formatScore = (score: number) => (score > 0 && score < 0.0005 ? '< 0.001' : score.toFixed(3));

import type { Run } from '../../../shared/openai-types';
import type { RunsQuery } from '../../../shared/runs-query-types';
import { fetchRunsPage } from '../../api/run-queries';
import { csvHeader, csvRow } from './runs-export';

/** Rows per request while exporting (the API's largest page). */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportProgress {
  written: number;
  /** Runs matching the query, as the server counted them on the last page read. */
  total: number;
}

export interface ExportResult extends ExportProgress {
  parts: string[];
  /** The server's answer covered every thread (false in proxy mode while threads are still being read). */
  complete: boolean;
}

export type ExportFormat = 'csv' | 'json';

/**
 * Reads every run of the query, page by page in its order (the cursor stays correct while runs arrive), turning each
 * page into text as it comes, so memory holds text rather than 10,000 runs and the person sees the progress.
 */
export async function exportRuns(
  query: RunsQuery,
  options: {
    format: ExportFormat;
    columnVisibility: Record<string, boolean>;
    assistantName: (id: string) => string | null;
    onProgress: (progress: ExportProgress) => void;
    signal?: AbortSignal;
  },
): Promise<ExportResult> {
  const parts: string[] = [];
  if (options.format === 'csv') parts.push(csvHeader(options.columnVisibility));
  else parts.push('[\n');
  let written = 0;
  let after: string | undefined;
  for (;;) {
    const page = await fetchRunsPage({ ...query, limit: EXPORT_PAGE_SIZE, after }, options.signal);
    for (const run of page.data) {
      parts.push(
        options.format === 'csv'
          ? csvRow(run, options.columnVisibility, options.assistantName)
          : jsonItem(run, written === 0),
      );
      written += 1;
    }
    options.onProgress({ written, total: Math.max(page.total, written) });
    if (!page.has_more || !page.next_cursor) {
      if (options.format === 'json') parts.push(written === 0 ? ']\n' : '\n]\n');
      return { parts, written, total: Math.max(page.total, written), complete: page.coverage.complete };
    }
    after = page.next_cursor;
  }
}

/** One run of the JSON array, indented as JSON.stringify(runs, null, 2) would. */
function jsonItem(run: Run, first: boolean): string {
  const text = JSON.stringify(run, null, 2).replace(/\n/g, '\n  ');
  return `${first ? '' : ',\n'}  ${text}`;
}

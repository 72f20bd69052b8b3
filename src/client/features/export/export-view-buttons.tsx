import { useQuery } from '@tanstack/react-query';
import type { Run } from '../../../shared/openai-types';
import { assistantQueries } from '../../api/assistant-queries';
import { Button } from '../../ui/button';
import { sortRuns } from '../../lib/sort-runs';
import type { RunsSort } from '../../lib/sort-runs';
import { runsToCsv, runsToJson } from './runs-export';

/** Downloads the runs the table shows (its filter, search, sort and columns) as CSV or JSON. */
export function ExportViewButtons({
  threadId,
  runs,
  sort,
  columnVisibility,
}: {
  threadId: string;
  /** The runs the table shows, before its sort. */
  runs: readonly Run[];
  sort: RunsSort | null;
  columnVisibility: Record<string, boolean>;
}) {
  const assistants = useQuery({ ...assistantQueries.list(), select: (list) => list.data });
  const assistantName = (id: string) =>
    assistants.data?.find((assistant) => assistant.id === id)?.name ?? null;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');

  const inTableOrder = () => sortRuns(runs, sort);

  function download(text: string, type: string, extension: string) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `runs-${threadId}-${stamp}.${extension}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  return (
    <span role="group" aria-label="Export the view" className="inline-flex items-center gap-1">
      <Button
        size="sm"
        variant="ghost"
        disabled={runs.length === 0}
        title={`Download the ${runs.length} runs shown as CSV`}
        onClick={() =>
          download(runsToCsv(inTableOrder(), columnVisibility, assistantName), 'text/csv', 'csv')
        }
      >
        Export CSV
      </Button>
      <Button
        size="sm"
        variant="ghost"
        disabled={runs.length === 0}
        title={`Download the ${runs.length} runs shown as JSON`}
        onClick={() => download(runsToJson(inTableOrder()), 'application/json', 'json')}
      >
        Export JSON
      </Button>
    </span>
  );
}

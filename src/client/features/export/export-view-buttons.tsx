import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { QueryCoverage, RunsQuery } from '../../../shared/runs-query-types';
import { assistantQueries } from '../../api/assistant-queries';
import { Button } from '../../ui/button';
import type { ExportFormat, ExportProgress } from './stream-export';

type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; format: ExportFormat; progress: ExportProgress | null }
  | { kind: 'done'; fileName: string; written: number; total: number; complete: boolean }
  | { kind: 'failed'; written: number; message: string };

const count = (value: number) => value.toLocaleString('en');

/**
 * Downloads every run the view answers (its scope, filter, search, sort and columns) as CSV or JSON, read from the
 * server page by page with the progress shown, then says how many rows it wrote of how many.
 */
export function ExportViewButtons({
  query,
  total,
  coverage,
  columnVisibility,
}: {
  query: RunsQuery;
  /** Runs the view matches in all (null until known). */
  total: number | null;
  coverage: QueryCoverage | null;
  columnVisibility: Record<string, boolean>;
}) {
  const assistants = useQuery({ ...assistantQueries.list(), select: (list) => list.data });
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const assistantName = (id: string) =>
    assistants.data?.find((assistant) => assistant.id === id)?.name ?? null;

  async function start(format: ExportFormat) {
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'running', format, progress: null });
    let written = 0;
    try {
      // The export's code loads on the first click, outside the initial bundle.
      const { exportRuns } = await import('./stream-export');
      const result = await exportRuns(query, {
        format,
        columnVisibility,
        assistantName,
        signal: controller.signal,
        onProgress: (progress) => {
          written = progress.written;
          setState({ kind: 'running', format, progress });
        },
      });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const fileName = `runs-${query.threadId ?? 'all-threads'}-${stamp}.${format}`;
      download(result.parts, format === 'csv' ? 'text/csv' : 'application/json', fileName);
      setState({
        kind: 'done',
        fileName,
        written: result.written,
        total: result.total,
        complete: result.complete,
      });
    } catch (error) {
      setState({
        kind: 'failed',
        written,
        message: controller.signal.aborted
          ? 'stopped'
          : error instanceof Error
            ? error.message
            : String(error),
      });
    } finally {
      abort.current = null;
    }
  }

  const running = state.kind === 'running';
  const nothing = total === 0;
  const partial = coverage !== null && !coverage.complete;
  const what = total === null ? 'the runs of this view' : `the ${count(total)} runs of this view`;

  return (
    <span role="group" aria-label="Export the view" className="inline-flex items-center gap-1">
      <ExportStatus state={state} partial={partial} />
      {running ? (
        <Button size="sm" variant="ghost" onClick={() => abort.current?.abort()}>
          Stop export
        </Button>
      ) : (
        <>
          <ExportButton format="csv" what={what} disabled={nothing} onStart={start} />
          <ExportButton format="json" what={what} disabled={nothing} onStart={start} />
        </>
      )}
    </span>
  );
}

function ExportButton({
  format,
  what,
  disabled,
  onStart,
}: {
  format: ExportFormat;
  what: string;
  disabled: boolean;
  onStart: (format: ExportFormat) => Promise<void>;
}) {
  const name = format.toUpperCase();
  return (
    <Button
      size="sm"
      variant="ghost"
      disabled={disabled}
      title={`Download ${what} as ${name}`}
      onClick={() => void onStart(format)}
    >
      Export {name}
    </Button>
  );
}

function ExportStatus({ state, partial }: { state: ExportState; partial: boolean }) {
  if (state.kind === 'idle') return null;
  let text: string;
  if (state.kind === 'running') {
    text = state.progress
      ? `Exporting ${count(state.progress.written)} of ${count(state.progress.total)} runs…`
      : 'Exporting…';
  } else if (state.kind === 'done') {
    text =
      `Wrote ${count(state.written)} of ${count(state.total)} runs` +
      (state.complete && !partial ? '' : ' (partial answer: not every thread was loaded)');
  } else {
    text = `Export ${state.message === 'stopped' ? 'stopped' : `failed: ${state.message}`} after ${count(state.written)} runs; nothing was downloaded`;
  }
  return (
    <span
      role="status"
      aria-label="Export progress"
      className={`text-xs tabular-nums ${state.kind === 'failed' ? 'text-status-danger' : 'text-muted'}`}
    >
      {text}
    </span>
  );
}

function download(parts: string[], type: string, fileName: string) {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

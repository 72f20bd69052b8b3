import type { Run } from '../../../shared/openai-types';
import { backendNow } from '../../lib/backend-clock';
import { runTiming } from '../../lib/run-timing';

/** The runs table's columns, by the ids the table uses, as exported values. */
const COLUMNS: {
  id: string;
  header: string;
  value: (run: Run, assistantName: (id: string) => string | null) => string | number | null;
}[] = [
  { id: 'status', header: 'status', value: (run) => run.status },
  { id: 'id', header: 'id', value: (run) => run.id },
  { id: 'thread', header: 'thread_id', value: (run) => run.thread_id },
  { id: 'assistant', header: 'assistant', value: (run, name) => name(run.assistant_id) ?? run.assistant_id },
  { id: 'model', header: 'model', value: (run) => run.model },
  { id: 'created', header: 'created_at', value: (run) => new Date(run.created_at * 1000).toISOString() },
  {
    id: 'duration',
    header: 'duration_seconds',
    value: (run) => runTiming(run, backendNow()).totalSeconds ?? null,
  },
  { id: 'tokens', header: 'total_tokens', value: (run) => run.usage?.total_tokens ?? null },
  {
    id: 'outcome',
    header: 'outcome',
    value: (run) => run.last_error?.code ?? run.incomplete_details?.reason ?? null,
  },
  {
    id: 'metadata',
    header: 'metadata',
    value: (run) => (Object.keys(run.metadata ?? {}).length ? JSON.stringify(run.metadata) : null),
  },
];

/** Header row then one row per run, with the columns the table shows (absent from `visibility` means shown). */
export function runsToCsv(
  runs: readonly Run[],
  visibility: Record<string, boolean>,
  assistantName: (id: string) => string | null,
): string {
  return csvHeader(visibility) + runs.map((run) => csvRow(run, visibility, assistantName)).join('');
}

/** The CSV's header line (with its line break). */
export function csvHeader(visibility: Record<string, boolean>): string {
  return `${visibleColumns(visibility)
    .map((column) => csvCell(column.header))
    .join(',')}\r\n`;
}

/** One run as a CSV line (with its line break). */
export function csvRow(
  run: Run,
  visibility: Record<string, boolean>,
  assistantName: (id: string) => string | null,
): string {
  return `${visibleColumns(visibility)
    .map((column) => csvCell(column.value(run, assistantName)))
    .join(',')}\r\n`;
}

function visibleColumns(visibility: Record<string, boolean>) {
  return COLUMNS.filter((column) => visibility[column.id] !== false);
}

/** The runs as their wire objects, in the table's order. */
export function runsToJson(runs: readonly Run[]): string {
  return `${JSON.stringify(runs, null, 2)}\n`;
}

/** RFC 4180: quote when needed, double the quotes; a leading =+-@ is prefixed so spreadsheets do not run it. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

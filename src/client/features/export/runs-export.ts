import type { Run } from '../../../shared/openai-types';
import { RUN_COLUMNS } from '../../lib/run-columns';
import { EXPORT_COLUMNS } from './export-columns';

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
  return RUN_COLUMNS.filter((column) => visibility[column.id] !== false).map(
    (column) => EXPORT_COLUMNS[column.id]!,
  );
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

import type { Run } from '../../../shared/openai-types';
import { runTiming } from '../../../shared/run-timing';
import { backendNow } from '../../lib/backend-clock';

export interface ExportColumn {
  /** The CSV header. */
  header: string;
  value: (run: Run, assistantName: (id: string) => string | null) => string | number | null;
}

/**
 * What the CSV export writes for each column of the runs table, by the table's column id (lib/run-columns.ts). Kept
 * here, with the export, so the first screen does not carry it (the export's code loads when it is used).
 */
export const EXPORT_COLUMNS: Readonly<Record<string, ExportColumn>> = {
  status: { header: 'status', value: (run) => run.status },
  id: { header: 'id', value: (run) => run.id },
  thread: { header: 'thread_id', value: (run) => run.thread_id },
  assistant: { header: 'assistant', value: (run, name) => name(run.assistant_id) ?? run.assistant_id },
  model: { header: 'model', value: (run) => run.model },
  created: { header: 'created_at', value: (run) => new Date(run.created_at * 1000).toISOString() },
  duration: { header: 'duration_seconds', value: (run) => runTiming(run, backendNow()).totalSeconds ?? null },
  tokens: { header: 'total_tokens', value: (run) => run.usage?.total_tokens ?? null },
  outcome: {
    header: 'outcome',
    value: (run) => run.last_error?.code ?? run.incomplete_details?.reason ?? null,
  },
  metadata: {
    header: 'metadata',
    value: (run) => (Object.keys(run.metadata ?? {}).length ? JSON.stringify(run.metadata) : null),
  },
};

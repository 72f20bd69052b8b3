import type { Run } from '../../shared/openai-types';

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

import type { RetryPolicy } from './call-with-retries';
import type { ModelEndpoint } from './chat-client';

/** The model executor's configuration (`RUNBOARD_MODEL_*`, see README.md). */
export interface ModelExecutorSettings {
  endpoint: ModelEndpoint;
  /** The assistant's model name → the upstream's; `*` maps every other name. Unmapped names are sent as they are. */
  modelMap: Record<string, string>;
  /** At most this many model calls at once; the other runs wait in_progress, in arrival order. */
  concurrency: number;
  retry: RetryPolicy;
  /** How often a growing message is written while the answer streams in (ms). */
  flushIntervalMs?: number;
}

export function upstreamModelFor(model: string, map: Record<string, string>): string {
  return map[model] ?? map['*'] ?? model;
}

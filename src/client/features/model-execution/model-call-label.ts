import type { ModelCallOutcome } from '../../../shared/runboard-types';

const LABELS: Record<ModelCallOutcome, string> = {
  in_flight: 'In flight',
  answered: 'Answered',
  tool_calls: 'Asked for tools',
  length: 'Cut off (length)',
  content_filter: 'Filtered',
  rate_limited: 'Rate limited',
  unavailable: 'Server error',
  timeout: 'Timed out',
  unreachable: 'Unreachable',
  invalid_prompt: 'Prompt refused',
  refused: 'Refused',
  aborted: 'Aborted',
  interrupted: 'Interrupted by a restart',
};

export function modelCallLabel(outcome: ModelCallOutcome): string {
  return LABELS[outcome];
}

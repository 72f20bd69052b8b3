import { useEffect, useRef } from 'react';
import type { Run } from '../../../shared/openai-types';
import { newlyWaiting } from './inbox-entries';

/**
 * While desktop notifications are on and allowed: one notification per run that starts waiting for tool outputs
 * (runs already waiting when it mounts do not notify). Loaded only then, outside the initial bundle.
 */
export default function WaitingNotifier({ waiting }: { waiting: readonly Run[] }) {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const previous = seen.current;
    seen.current = new Set(waiting.map((run) => run.id));
    if (!previous) return;
    for (const run of newlyWaiting(previous, waiting)) {
      const tools =
        run.required_action?.submit_tool_outputs.tool_calls.map((call) => call.function.name) ?? [];
      new Notification('A run needs tool outputs', {
        body: `${run.id} on ${run.thread_id}${tools.length ? ` asks for ${tools.join(', ')}` : ''}`,
        tag: run.id,
      });
    }
  }, [waiting]);
  return null;
}

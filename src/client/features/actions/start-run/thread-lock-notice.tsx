import type { Run } from '../../../../shared/openai-types';
import { Button } from '../../../ui/button';
import { statusPhrase } from '../../../lib/run-vocabulary';

/** Says which run locks the thread, and offers to open it (to cancel it or answer it). */
export function ThreadLockNotice({ run, onOpen }: { run: Run; onOpen: () => void }) {
  return (
    <div
      role="status"
      className="flex items-start gap-2 rounded-md border border-status-warning/30 bg-status-warning-soft p-2 text-xs"
    >
      <p className="min-w-0 flex-1">
        This thread is locked: run <span className="font-mono break-all">{run.id}</span>{' '}
        {statusPhrase(run.status)}, and a thread runs one run at a time. A new run can start once it ends:
        answer or cancel it first.
      </p>
      <Button size="sm" onClick={onOpen}>
        Open run
      </Button>
    </div>
  );
}

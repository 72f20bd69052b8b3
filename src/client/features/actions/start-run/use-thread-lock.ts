import { useQuery } from '@tanstack/react-query';
import type { Run } from '../../../../shared/openai-types';
import { ACTIVE_RUN_STATUSES } from '../../../../shared/openai-types';
import { runQueries } from '../../../api/run-queries';
import type { RunsWindow } from '../../../api/runs-window';

const firstRun = (window: RunsWindow): Run | null => window.runs[0] ?? null;

/** The run that locks the thread (an active run: no new run, no new message until it ends), or null. */
export function useThreadLock(threadId: string): Run | null {
  return (
    useQuery({ ...runQueries.list({ threadId, statuses: [...ACTIVE_RUN_STATUSES] }), select: firstRun })
      .data ?? null
  );
}

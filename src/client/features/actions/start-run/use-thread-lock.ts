import { useQuery } from '@tanstack/react-query';
import type { Run } from '../../../../shared/openai-types';
import { isActiveStatus } from '../../../../shared/openai-types';
import { runQueries } from '../../../api/run-queries';
import type { RunsWindow } from '../../../api/runs-window';

const activeRun = (window: RunsWindow): Run | null =>
  window.runs.find((run) => isActiveStatus(run.status)) ?? null;

/** The run that locks the thread (an active run: no new run, no new message until it ends), or null. */
export function useThreadLock(threadId: string): Run | null {
  return useQuery({ ...runQueries.window(threadId), select: activeRun }).data ?? null;
}

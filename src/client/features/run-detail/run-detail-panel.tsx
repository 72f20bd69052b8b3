import { lazy, Suspense } from 'react';
import { SkeletonRows } from '../../ui/skeleton';
import type { RunDetailSlots } from './run-detail-content';

export type { RunDetailSlots } from './run-detail-content';

// The panel is opened on demand, so its code is not part of the initial bundle.
const RunDetailContent = lazy(() => import('./run-detail-content'));

/** Everything about one run. Escape closes it. */
export function RunDetailPanel(props: { threadId: string; runId: string } & RunDetailSlots) {
  return (
    <Suspense fallback={<SkeletonRows rows={12} label="Loading run" />}>
      <RunDetailContent {...props} />
    </Suspense>
  );
}

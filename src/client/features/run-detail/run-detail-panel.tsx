import { Suspense } from 'react';
import { lazyWithPreload } from '../../lib/lazy-with-preload';
import { SkeletonRows } from '../../ui/skeleton';
import type { RunDetailSlots } from './run-detail-content';

export type { RunDetailSlots } from './run-detail-content';

// The panel is opened on demand, so its code is not part of the initial bundle (the app preloads it when idle).
const RunDetailContent = lazyWithPreload(() => import('./run-detail-content'));

export const preloadRunDetail = RunDetailContent.preload;

/** Everything about one run. Escape closes it. */
export function RunDetailPanel(props: { threadId: string; runId: string } & RunDetailSlots) {
  return (
    <Suspense fallback={<SkeletonRows rows={12} label="Loading run" />}>
      <RunDetailContent {...props} />
    </Suspense>
  );
}

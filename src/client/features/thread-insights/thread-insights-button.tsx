import { lazy, Suspense } from 'react';
import { useDialogInUrl } from '../../hooks/use-view-state';
import { Button } from '../../ui/button';

// The dialog loads when first opened, so the charts are not part of the initial bundle.
const InsightsDialog = lazy(() => import('./insights-dialog'));

/**
 * The "Insights" button of a thread (or of every thread, `threadId` null) and its dialog (`?dialog=insights`): status
 * mix and tokens of all the runs, the runs over time, and for few runs a timeline of each.
 */
export function InsightsButton({ threadId }: { threadId: string | null }) {
  const dialog = useDialogInUrl('insights');
  return (
    <>
      <Button size="sm" variant="ghost" aria-haspopup="dialog" onClick={dialog.show}>
        Insights
      </Button>
      {dialog.open && (
        <Suspense fallback={null}>
          <InsightsDialog key={threadId ?? ''} threadId={threadId} onClose={dialog.close} />
        </Suspense>
      )}
    </>
  );
}

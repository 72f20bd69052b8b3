import { Dialog } from '../../ui/dialog';
import ThreadInsightsContent from './thread-insights-content';

/** The insights dialog, open while it is mounted (loaded on demand with its charts). */
export default function InsightsDialog({
  threadId,
  onClose,
}: {
  threadId: string | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open
      onClose={onClose}
      size="xl"
      title={threadId ? 'Thread insights' : 'Insights: all threads'}
      description={
        threadId ? (
          <>
            Every run of <span className="font-mono">{threadId}</span>: how they ended, the tokens they used,
            and when they ran.
          </>
        ) : (
          'Every run of every thread: how they ended, the tokens they used, and when they ran.'
        )
      }
    >
      <ThreadInsightsContent threadId={threadId} />
    </Dialog>
  );
}

import { Button } from './button';

/** A failed load: the API's own message and a way to try again. */
export function ErrorState({ title, error, onRetry }: { title: string; error: Error; onRetry?: () => void }) {
  return (
    <div role="alert" className="m-3 rounded-md border border-status-danger/30 bg-status-danger-soft p-3">
      <p className="font-medium text-status-danger">{title}</p>
      <p className="mt-1 break-words text-fg">{error.message}</p>
      {onRetry && (
        <Button size="sm" className="mt-2" onClick={onRetry}>
          Retry
        </Button>
      )}
    </div>
  );
}

import { Button } from '../../ui/button';

export interface RunsTableFooterProps {
  /** "100 of 10,000 runs loaded"; empty: no line (a list that says its count elsewhere). */
  loadedText: string;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

/** Below the rows: how much of the list is loaded, and a button for the next page (scrolling near the end loads it too). */
export function RunsTableFooter({ loadedText, hasMore, loadingMore, onLoadMore }: RunsTableFooterProps) {
  if (!loadedText && !hasMore) return null;
  return (
    <div className="sticky left-0 flex items-center justify-center gap-3 px-3 py-2 text-xs text-muted">
      <span role="status">{loadedText}</span>
      {hasMore && (
        <Button size="sm" onClick={onLoadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </Button>
      )}
    </div>
  );
}

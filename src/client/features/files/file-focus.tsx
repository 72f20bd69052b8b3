import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/api-error';
import { fileQueries } from '../../api/file-queries';
import { useNavigate } from '../../hooks/use-view-state';
import { formatBytes } from '../../lib/format-bytes';
import { Button } from '../../ui/button';
import { ErrorState } from '../../ui/error-state';
import { RelativeTime } from '../../ui/relative-time';
import { SkeletonRows } from '../../ui/skeleton';
import { FileRowActions } from './file-row-actions';

/**
 * The file a link asked for (`?file=`, e.g. a citation in a run's reply): its name, id, purpose, size and time, with
 * Download and Delete; or that it does not exist any more.
 */
export function FileFocus({ fileId }: { fileId: string }) {
  const file = useQuery(fileQueries.detail(fileId));
  const navigate = useNavigate();
  const close = (
    <Button
      size="sm"
      variant="ghost"
      aria-label={`Close file ${fileId}`}
      onClick={() => navigate({ file: null })}
    >
      Close
    </Button>
  );
  return (
    <section
      aria-label="File"
      className="flex flex-col gap-1 rounded-md border border-accent/40 bg-surface px-3 py-2 text-xs"
    >
      {file.data ? (
        <>
          <div className="flex min-w-0 flex-wrap items-center gap-x-2">
            <h2 className="min-w-0 truncate text-sm font-semibold">{file.data.filename}</h2>
            <span className="font-mono text-muted">{file.data.id}</span>
            <span className="ml-auto">{close}</span>
          </div>
          <div className="flex flex-wrap items-center gap-x-3 text-muted">
            <span>Purpose {file.data.purpose}</span>
            <span className="tabular-nums">{formatBytes(file.data.bytes)}</span>
            <span>
              Created <RelativeTime at={file.data.created_at} />
            </span>
            <span className="ml-auto">
              <FileRowActions file={file.data} />
            </span>
          </div>
        </>
      ) : file.error ? (
        <>
          <ErrorState
            title={
              file.error instanceof ApiError && file.error.status === 404
                ? `File ${fileId} does not exist: it was deleted, or never uploaded here`
                : `Cannot load the file ${fileId}`
            }
            error={file.error}
            onRetry={() => void file.refetch()}
          />
          <span>{close}</span>
        </>
      ) : (
        <SkeletonRows rows={2} label="Loading the file" />
      )}
    </section>
  );
}

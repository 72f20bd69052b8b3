import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { VectorStore, VectorStoreFile } from '../../../shared/openai-types';
import { ApiError } from '../../api/api-error';
import { fileQueries } from '../../api/file-queries';
import { VECTOR_STORE_FILES_PAGE_SIZE, vectorStoreQueries } from '../../api/vector-store-queries';
import { useNavigate } from '../../hooks/use-view-state';
import { formatBytes } from '../../lib/format-bytes';
import { fileCountsText } from '../../lib/file-vocabulary';
import { Button } from '../../ui/button';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { FormAlert } from '../../ui/form-field';
import { RelativeTime } from '../../ui/relative-time';
import { SkeletonRows } from '../../ui/skeleton';
import { StatusBadge } from '../../ui/status-badge';
import { ConfirmDeleteDialog } from './confirm-delete-dialog';
import { PagedList } from './list-pager';
import { StoreExpiry } from './store-expiry';
import { UploadForm } from './upload-form';
import { useCursorPages } from './use-cursor-pages';
import { useDeleteVectorStore, useRemoveFromVectorStore, useUploadToVectorStore } from './use-file-mutations';
import { storeName } from './vector-stores-section';

/**
 * One vector store (`?store=`): its status and counts, a file uploaded into it, and its files a page at a time, each
 * with its processing status (In progress, then Completed or Failed with the error). Polled each second while
 * anything in it is in progress.
 */
export function VectorStoreFiles({ storeId }: { storeId: string }) {
  const store = useQuery(vectorStoreQueries.detail(storeId));
  const navigate = useNavigate();
  const close = () => navigate({ store: null });
  if (store.error && !store.data) {
    const missing = store.error instanceof ApiError && store.error.status === 404;
    return (
      <section aria-label="Vector store" className="rounded-md border border-line bg-surface">
        <ErrorState
          title={missing ? `Vector store ${storeId} does not exist` : 'Cannot load the vector store'}
          error={store.error}
          onRetry={missing ? undefined : () => void store.refetch()}
        />
        <Button size="sm" className="m-3 mt-0" onClick={close}>
          Close
        </Button>
      </section>
    );
  }
  if (!store.data) return <SkeletonRows rows={4} label="Loading the vector store" />;
  return <StoreDetail store={store.data} onClose={close} />;
}

function StoreDetail({ store, onClose }: { store: VectorStore; onClose: () => void }) {
  const pages = useCursorPages(store.id);
  const files = useQuery(vectorStoreQueries.files(store.id, pages.after));
  const upload = useUploadToVectorStore(store.id);
  const name = storeName(store);
  return (
    <section
      aria-labelledby="vector-store-heading"
      className="flex min-w-0 flex-col rounded-md border border-line bg-surface"
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b border-line px-3 py-2">
        <h2 id="vector-store-heading" className="min-w-0 truncate text-sm font-semibold">
          Files in {name}
        </h2>
        <StatusBadge status={store.status} />
        <span className="ml-auto flex gap-1">
          <DeleteStoreButton store={store} onDeleted={onClose} />
          <Button size="sm" variant="ghost" aria-label={`Close vector store ${name}`} onClick={onClose}>
            Close
          </Button>
        </span>
        <p className="flex w-full flex-wrap gap-x-3 text-xs text-muted">
          <span className="font-mono">{store.id}</span>
          <span>{fileCountsText(store.file_counts)}</span>
          <span className="tabular-nums">{formatBytes(store.usage_bytes)}</span>
          <StoreExpiry store={store} />
        </p>
      </div>
      <div className="border-b border-line px-3 py-2">
        <UploadForm
          label={`File to add to ${name}`}
          submitLabel="Upload and add"
          failure="Not added to the vector store"
          pending={upload.isPending}
          error={upload.error}
          done={
            upload.data && (
              <>
                Added <span className="font-mono">{upload.data.id}</span>: it is processed below.
              </>
            )
          }
          onUpload={(file) => upload.mutateAsync(file).then(pages.first)}
        />
      </div>
      <PagedList
        query={files}
        pages={pages}
        noun="Files"
        pageSize={VECTOR_STORE_FILES_PAGE_SIZE}
        errorTitle="Cannot load the files of this vector store"
        loadingLabel="Loading the files of the vector store"
        empty={
          <EmptyState title="No file in this vector store">
            Upload one above; file search reads it once it is processed.
          </EmptyState>
        }
      >
        {(page, busy) => (
          <ul aria-label={`Files in ${name}`} aria-busy={busy} className="flex flex-col">
            {page.map((file) => (
              <StoreFileItem key={file.id} storeId={store.id} file={file} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

/** A file in the store: its name (read from Files), status, error, size in the store, when added; remove it. */
function StoreFileItem({ storeId, file }: { storeId: string; file: VectorStoreFile }) {
  const details = useQuery(fileQueries.detail(file.id));
  const remove = useRemoveFromVectorStore(storeId);
  const name = details.data?.filename ?? file.id;
  return (
    <li
      aria-label={`File ${name}`}
      className="flex flex-col gap-1 border-b border-line px-3 py-2 text-xs last:border-b-0"
    >
      <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
        <span className="min-w-0 truncate font-medium" title={name}>
          {details.error ? <span className="text-muted">(deleted from Files)</span> : name}
        </span>
        <StatusBadge status={file.status} />
        <span className="ml-auto flex items-center gap-2">
          <span className="tabular-nums text-muted">{formatBytes(file.usage_bytes)}</span>
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Remove ${name} from the vector store`}
            disabled={remove.isPending}
            onClick={() => remove.mutate(file.id)}
          >
            Remove
          </Button>
        </span>
      </div>
      <p className="flex flex-wrap gap-x-3 text-[11px] text-muted">
        <span className="font-mono">{file.id}</span>
        <span>
          Added <RelativeTime at={file.created_at} />
        </span>
      </p>
      {file.last_error && (
        <p className="rounded bg-status-danger-soft px-1.5 py-1 text-status-danger">
          <span className="font-mono">{file.last_error.code}</span>: {file.last_error.message}
        </p>
      )}
      {remove.error && <FormAlert className="text-xs">Not removed: {remove.error.message}</FormAlert>}
    </li>
  );
}

function DeleteStoreButton({ store, onDeleted }: { store: VectorStore; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteVectorStore();
  const name = storeName(store);
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Delete vector store ${name}`}
        onClick={() => setConfirming(true)}
      >
        Delete
      </Button>
      {confirming && (
        <ConfirmDeleteDialog
          title={`Delete vector store ${name}?`}
          what="vector store"
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(store, { onSuccess: onDeleted })}
          onClose={() => setConfirming(false)}
        >
          The store <span className="font-mono">{store.id}</span> and its index are deleted; its files stay in
          Files. Assistants and threads that search it find nothing more in it.
        </ConfirmDeleteDialog>
      )}
    </>
  );
}

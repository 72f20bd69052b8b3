import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { VectorStore } from '../../../shared/openai-types';
import { VECTOR_STORES_PAGE_SIZE, vectorStoreQueries } from '../../api/vector-store-queries';
import { navigateOnPlainClick, useNavigate, useViewSelector } from '../../hooks/use-view-state';
import { formatBytes } from '../../lib/format-bytes';
import { fileCountsText } from '../../lib/file-vocabulary';
import { EMPTY_VIEW, viewHref } from '../../lib/view-state';
import { Button } from '../../ui/button';
import { cx } from '../../ui/cx';
import { EmptyState } from '../../ui/empty-state';
import { fieldClass, FormAlert } from '../../ui/form-field';
import { StatusBadge } from '../../ui/status-badge';
import { PagedList } from './list-pager';
import { StoreExpiry } from './store-expiry';
import { useCursorPages } from './use-cursor-pages';
import { useCreateVectorStore } from './use-file-mutations';

/**
 * The vector stores (`/v1/vector_stores`), newest first, a page at a time: status, file counts, size, expiry. A
 * store's name opens its files (`?store=`); a new store is created by name. Polled each second while one is in
 * progress.
 */
export function VectorStoresSection() {
  const pages = useCursorPages();
  const stores = useQuery(vectorStoreQueries.page(pages.after));
  const openStore = useViewSelector((view) => view.store);
  return (
    <section
      aria-labelledby="vector-stores-heading"
      className="flex min-w-0 flex-col rounded-md border border-line bg-surface"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
        <h2 id="vector-stores-heading" className="text-sm font-semibold">
          Vector stores
        </h2>
      </div>
      <div className="border-b border-line px-3 py-2">
        <CreateVectorStore onCreated={pages.first} />
      </div>
      <PagedList
        query={stores}
        pages={pages}
        noun="Vector stores"
        pageSize={VECTOR_STORES_PAGE_SIZE}
        errorTitle="Cannot load the vector stores"
        loadingLabel="Loading vector stores"
        empty={
          <EmptyState title="No vector store yet">
            Create one above, or with the SDK (<code className="font-mono">client.vectorStores.create</code>),
            then add files to it: file search reads them.
          </EmptyState>
        }
      >
        {(page, busy) => (
          <ul aria-label="Vector stores" aria-busy={busy} className="flex flex-col">
            {page.map((store) => (
              <StoreItem key={store.id} store={store} open={store.id === openStore} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

/** A store's name (or id) as the dashboard writes it. */
export const storeName = (store: VectorStore) => store.name || store.id;

function StoreItem({ store, open }: { store: VectorStore; open: boolean }) {
  const href = viewHref({ ...EMPTY_VIEW, page: 'files', store: store.id });
  return (
    <li
      aria-label={`Vector store ${storeName(store)}`}
      className={cx(
        'flex flex-col gap-0.5 border-b border-line px-3 py-2 text-xs last:border-b-0',
        open && 'bg-accent/10',
      )}
    >
      <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
        <a
          href={href}
          aria-current={open ? 'true' : undefined}
          className="min-w-0 truncate font-medium text-accent underline-offset-2 hover:underline"
          onClick={(event) => navigateOnPlainClick(event, { page: 'files', store: store.id, file: null })}
        >
          {storeName(store)}
        </a>
        <StatusBadge status={store.status} />
        <span className="ml-auto font-mono text-[11px] text-muted">{store.id}</span>
      </div>
      <p className="flex flex-wrap gap-x-3 text-muted">
        <span>{fileCountsText(store.file_counts)}</span>
        <span className="tabular-nums">{formatBytes(store.usage_bytes)}</span>
        <StoreExpiry store={store} />
      </p>
    </li>
  );
}

function CreateVectorStore({ onCreated }: { onCreated: () => void }) {
  const create = useCreateVectorStore();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const nameId = useId();
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(name.trim(), {
          onSuccess: (store) => {
            setName('');
            onCreated();
            navigate({ page: 'files', store: store.id, file: null });
          },
        });
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={nameId} className="text-xs font-medium">
            New vector store name
          </label>
          <input
            id={nameId}
            value={name}
            maxLength={256}
            disabled={create.isPending}
            onChange={(event) => setName(event.target.value)}
            className={`${fieldClass} h-7 min-w-0`}
            placeholder="e.g. Product docs"
          />
        </div>
        <Button type="submit" size="sm" variant="primary" disabled={create.isPending || !name.trim()}>
          {create.isPending ? 'Creating…' : 'Create vector store'}
        </Button>
      </div>
      {create.error && <FormAlert className="text-xs">Not created: {create.error.message}</FormAlert>}
    </form>
  );
}

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ListResponse } from '../../../shared/openai-types';
import { formatCount } from '../../lib/run-vocabulary';
import { Button } from '../../ui/button';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import type { CursorPages } from './use-cursor-pages';

/**
 * A list read a page at a time: the error (with Retry) when there is nothing to show, a skeleton while the first page
 * loads, `empty` when there is nothing at all, else the page (`children`, busy while the next one is read and the
 * previous stays) and where it stands (`ListPager`).
 */
export function PagedList<T extends { id: string }>({
  query,
  pages,
  noun,
  pageSize,
  errorTitle,
  loadingLabel,
  empty,
  children,
}: {
  query: UseQueryResult<ListResponse<T>>;
  pages: CursorPages;
  /** Plural, capitalised: "Files", "Vector stores". */
  noun: string;
  pageSize: number;
  errorTitle: string;
  loadingLabel: string;
  empty: ReactNode;
  children: (items: T[], busy: boolean) => ReactNode;
}) {
  if (query.error && !query.data)
    return <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <SkeletonRows rows={4} label={loadingLabel} />;
  if (query.data.data.length === 0 && pages.index === 0) return empty;
  return (
    <>
      {children(query.data.data, query.isPlaceholderData)}
      <ListPager
        noun={noun}
        pageSize={pageSize}
        pages={pages}
        page={query.data}
        busy={query.isPlaceholderData}
      />
    </>
  );
}

/**
 * Where a page of a list stands, said so that a part never looks like the whole: "Files 1–50 · more on the next
 * page", or on the last page "Files 51–73 of 73". Previous / Next page buttons, named by what they page.
 */
function ListPager({
  noun,
  pageSize,
  pages,
  page,
  busy,
}: {
  noun: string;
  pageSize: number;
  pages: CursorPages;
  page: ListResponse<{ id: string }>;
  /** The page shown is the previous one, kept while the asked one is read. */
  busy: boolean;
}) {
  const first = pages.index * pageSize + 1;
  const last = first + page.data.length - 1;
  const lastId = page.last_id ?? page.data.at(-1)?.id ?? null;
  const position =
    page.data.length === 0
      ? `No ${noun.toLowerCase()} on this page`
      : page.has_more
        ? `${noun} ${formatCount(first)}–${formatCount(last)} · more on the next page`
        : `${noun} ${formatCount(first)}–${formatCount(last)} of ${formatCount(last)}`;
  return (
    <div
      role="group"
      aria-label={`Pages of ${noun.toLowerCase()}`}
      className="flex flex-wrap items-center gap-2 border-t border-line px-3 py-2 text-xs text-muted"
    >
      <span aria-live="polite" className="tabular-nums">
        {position}
      </span>
      <span className="ml-auto flex gap-2">
        <Button size="sm" disabled={pages.index === 0 || busy} onClick={pages.previous}>
          Previous page
        </Button>
        <Button
          size="sm"
          disabled={!page.has_more || lastId === null || busy}
          onClick={() => lastId && pages.next(lastId)}
        >
          Next page
        </Button>
      </span>
    </div>
  );
}

import { useInfiniteQuery } from '@tanstack/react-query';
import type { ProxyScope } from '../../shared/runs-query-types';
import { threadQueries } from './thread-queries';

/**
 * Proxy mode: which threads the server's index holds (seen through the proxy since when, watched by hand, let go),
 * from the unsearched thread list (the sidebar's own query, kept fresh by the change feed); undefined otherwise.
 */
export function useProxyScope(): ProxyScope | undefined {
  const summaries = useInfiniteQuery(threadQueries.summaries(''));
  return summaries.data?.pages[0]?.coverage?.scope;
}

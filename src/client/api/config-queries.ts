import { queryOptions } from '@tanstack/react-query';
import type { RunboardConfig } from '../../shared/runboard-types';
import { apiFetch } from './api-fetch';

export const configKeys = {
  all: ['config'] as const,
};

export const configQueries = {
  config: () =>
    queryOptions({
      queryKey: configKeys.all,
      queryFn: ({ signal }) => apiFetch<RunboardConfig>('/api/config', { signal }),
      staleTime: 60_000,
      // Also the connection heartbeat of the header's indicator.
      refetchInterval: 30_000,
    }),
};

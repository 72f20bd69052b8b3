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
      // Changes only when the server restarts with other settings; read again on focus once a minute old. (Not a
      // heartbeat: the connection indicator reads the state of the queries that poll anyway.)
      staleTime: 60_000,
    }),
};

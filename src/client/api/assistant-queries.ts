import { queryOptions } from '@tanstack/react-query';
import type { Assistant, ListResponse } from '../../shared/openai-types';
import { apiFetch } from './api-fetch';

export const assistantKeys = {
  all: ['assistants'] as const,
  list: () => [...assistantKeys.all, 'list'] as const,
};

export const assistantQueries = {
  list: () =>
    queryOptions({
      queryKey: assistantKeys.list(),
      queryFn: ({ signal }) =>
        apiFetch<ListResponse<Assistant>>('/v1/assistants', { query: { limit: 100, order: 'desc' }, signal }),
      staleTime: 60_000,
    }),
};

/** Display name of an assistant: its name when it has one, else its id. */
export function assistantLabel(assistants: readonly Assistant[] | undefined, assistantId: string): string {
  return assistants?.find((assistant) => assistant.id === assistantId)?.name || assistantId;
}

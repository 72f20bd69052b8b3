import type { ListResponse } from '../../shared/openai-types';
import { badRequest } from '../api-error';
import type { PageResult } from '../store/cursor-page';
import type { ListQuery } from '../validation/list-query';

/** `{object:'list', data, first_id, last_id, has_more}`; empty lists carry null ids, as OpenAI's did. */
export function listEnvelope<T extends { id: string }>(
  result: PageResult,
  query: ListQuery,
): ListResponse<T> {
  if ('unknownCursor' in result) {
    const param = result.unknownCursor;
    throw badRequest(
      `Invalid '${param}': '${query[param]}' is not an object of this list.`,
      param,
      'invalid_value',
    );
  }
  const data = result.bodies.map((body) => JSON.parse(body) as T);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: result.hasMore,
  };
}

import type { Context } from 'hono';
import type { ListResponse } from '../../shared/openai-types';
import { badRequest } from '../api-error';
import type { PageResult } from '../store/cursor-page';
import type { ListQuery } from '../../shared/requests/list-queries';

/**
 * Answers `{object:'list', data, first_id, last_id, has_more}`; empty lists carry null ids, as OpenAI's did.
 * The stored wire JSON is spliced in as is: parsing and re-serialising 100 runs would dominate a page's cost.
 */
export function listResponse<T>(c: Context, result: PageResult, query: ListQuery): Response {
  if ('unknownCursor' in result) {
    const param = result.unknownCursor;
    throw badRequest(
      `Invalid '${param}': '${query[param]}' is not an object of this list.`,
      param,
      'invalid_value',
    );
  }
  const { rows, hasMore } = result;
  const envelope: Omit<ListResponse<T>, 'data'> = {
    object: 'list',
    first_id: rows[0]?.id ?? null,
    last_id: rows.at(-1)?.id ?? null,
    has_more: hasMore,
  };
  const json = `{"object":"list","data":[${rows.map((row) => row.body).join(',')}],"first_id":${JSON.stringify(envelope.first_id)},"last_id":${JSON.stringify(envelope.last_id)},"has_more":${envelope.has_more}}`;
  return c.body(json, 200, { 'content-type': 'application/json' });
}

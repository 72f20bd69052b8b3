import { badRequest } from '../api-error';
import { checkRange, oneOf } from './field-rules';
import { checkIdShape } from './path-ids';
import { decimalInteger } from '../../platform/request-input';

export interface ListQuery {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  before?: string;
}

/** `limit` (1–100, default 20), `order` (default desc), `after` / `before` cursors of the listed objects' kind. */
export function parseListQuery(query: Record<string, string>, cursorPrefix: string): ListQuery {
  const result: ListQuery = { limit: 20, order: 'desc' };
  if (query.limit !== undefined) {
    // Digits only: `Number()` would also take ' 5', '5.0', '0x10' and '1e2'.
    const limit = decimalInteger(query.limit);
    if (limit === null) {
      throw badRequest(
        `Invalid type for 'limit': expected an integer, but got a string instead.`,
        'limit',
        'invalid_type',
      );
    }
    checkRange('limit', limit, { min: 1, max: 100 }, 'integer');
    result.limit = limit;
  }
  if (query.order !== undefined) result.order = oneOf(query.order, ['asc', 'desc'] as const, 'order');
  if (query.after !== undefined && query.after !== '')
    result.after = checkIdShape('after', query.after, cursorPrefix);
  if (query.before !== undefined && query.before !== '') {
    result.before = checkIdShape('before', query.before, cursorPrefix);
  }
  return result;
}

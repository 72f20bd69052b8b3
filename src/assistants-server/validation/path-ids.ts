import { idOf } from '../../shared/requests/request-fields';
import { parseRequest } from './v1-validators';

/** An id given outside a path (a run's `assistant_id`, an admin route's), checked as path ids are. */
export function checkIdShape(param: string, value: string, prefix: string): string {
  return parseRequest(idOf(prefix), value, [param]);
}

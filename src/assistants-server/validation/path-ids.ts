import { idOf } from '../../shared/requests/request-fields';
import { parseRequest } from './v1-validators';

const idSchemas = new Map<string, ReturnType<typeof idOf>>();

/** An id given outside a path (a run's `assistant_id`, an admin route's), checked as path ids are. */
export function checkIdShape(param: string, value: string, prefix: string): string {
  let schema = idSchemas.get(prefix);
  if (!schema) idSchemas.set(prefix, (schema = idOf(prefix)));
  return parseRequest(schema, value, [param]);
}

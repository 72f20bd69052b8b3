import { badRequest } from '../api-error';
import { excerpt } from '../../platform/request-input';

/** Ids in the path must carry their object's prefix, as OpenAI checks before looking them up. */
export function checkIdShape(param: string, value: string, prefix: string): string {
  if (!value.startsWith(`${prefix}_`) || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw badRequest(
      `Invalid '${param}': '${excerpt(value)}'. Expected an ID that begins with '${prefix}'.`,
      param,
      'invalid_value',
    );
  }
  return value;
}

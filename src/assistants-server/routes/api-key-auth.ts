import type { MiddlewareHandler } from 'hono';
import { createHash, timingSafeEqual } from 'node:crypto';
import { EmulatorApiError } from '../api-error';

/** Masks a key the way OpenAI echoes it: the first three and last four characters, stars between. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`;
}

/** With no configured key any bearer key (or none) is accepted, as stripe-mock does. */
export function apiKeyAuth(apiKey: string | null): MiddlewareHandler {
  const expected = apiKey === null ? null : digest(apiKey);
  return async (c, next) => {
    if (expected === null) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) {
      throw new EmulatorApiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        null,
        null,
      );
    }
    const given = match[1]!.trim();
    // Digests have equal lengths, so the comparison takes the same time whatever was sent (a !== on the keys would
    // return at the first differing character).
    if (!timingSafeEqual(digest(given), expected)) {
      throw new EmulatorApiError(
        401,
        `Incorrect API key provided: ${maskKey(given)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        null,
        'invalid_api_key',
      );
    }
    return next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

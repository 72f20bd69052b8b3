import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorResponse } from '../shared/openai-types';

/** A refusal the emulator answers in OpenAI's error shape, with OpenAI's status and wording. */
export class EmulatorApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: string = 'invalid_request_error',
  ) {
    super(message);
  }

  toBody(): ErrorResponse {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function badRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): EmulatorApiError {
  return new EmulatorApiError(400, message, param, code);
}

export function notFound(message: string): EmulatorApiError {
  return new EmulatorApiError(404, message);
}

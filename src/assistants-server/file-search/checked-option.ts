import type * as z from 'zod';
import { refusalOf } from '../validation/openai-refusals';

/**
 * A file-search option checked against its schema (`src/shared/requests/request-fields.ts`) and refused in
 * OpenAI's wording, `path` naming where it sits in the request (`chunking_strategy.static.max_chunk_size_tokens`).
 */
export function checkedOption<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw refusalOf(result.error.issues, [path]);
  return result.data;
}

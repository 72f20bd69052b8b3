import * as z from 'zod';
import { FILE_PURPOSES } from '../openai-types';
import { firstOrNone, limitParam, orderParam } from './list-queries';
import { refuse } from './request-fields';

/** The fields of `POST /v1/files` beside the file itself (the spec's `CreateFileRequest`). */
export const createFileFields = z.object({ purpose: z.enum(FILE_PURPOSES) });

/** A file id as OpenAI writes it: `file-` and alphanumerics. */
export const fileId = z.string().check((ctx) => {
  if (/^file-[A-Za-z0-9]+$/.test(ctx.value)) return;
  refuse(ctx, {
    code: 'invalid_value',
    word: (param, quote) =>
      `Invalid '${param}': '${quote(ctx.value)}'. Expected an ID that begins with 'file-'.`,
  });
});

/** `GET /v1/files`: `purpose`, `limit` (1–10,000, default 10,000), `order` (default desc), `after`, as the spec has. */
export const fileListQuery = z.object({
  purpose: z.preprocess(firstOrNone, z.string().optional()),
  limit: limitParam(10_000, 10_000),
  order: orderParam,
  after: z.preprocess(firstOrNone, fileId.optional()),
});

export type FileListQuery = z.output<typeof fileListQuery>;

import * as z from 'zod';
import { fileId } from './file-requests';
import { metadata, optional, refuse } from './request-fields';

/** A content part: text only (the server stores text), refused with its own wording before its other fields. */
const textPart = z
  .looseObject({})
  .check((ctx) => {
    const type = ctx.value.type;
    if (type === 'text') return;
    refuse(ctx, {
      code: 'invalid_value',
      at: 'type',
      word: (_param, quote) =>
        `Invalid value: '${quote(String(type))}'. The Runboard emulator supports text content parts only ('text').`,
    });
  })
  .pipe(z.strictObject({ type: z.literal('text'), text: z.string() }));

/** A file attached to a message, and the tools it is for: `file_search` puts it in the thread's vector store. */
export const messageAttachment = z.strictObject({
  file_id: fileId,
  tools: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('code_interpreter') }),
      z.strictObject({ type: z.literal('file_search') }),
    ]),
  ),
});

/** At most this many attachments on one message (OpenAI's limit). */
export const MAX_MESSAGE_ATTACHMENTS = 10;

/** CreateMessageRequest: text content only (a string, or text parts). */
export const createMessageRequest = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(textPart)]),
  attachments: optional(z.array(messageAttachment).max(MAX_MESSAGE_ATTACHMENTS)),
  metadata: optional(metadata),
});

/** ModifyMessageRequest: `metadata` only (content cannot be changed); absent or null leaves it as it is. */
export const modifyMessageRequest = z.strictObject({ metadata: optional(metadata) });

export type CreateMessageRequest = z.output<typeof createMessageRequest>;
export type ModifyMessageRequest = z.output<typeof modifyMessageRequest>;
export type MessageAttachment = z.output<typeof messageAttachment>;

export function messageText(content: CreateMessageRequest['content']): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

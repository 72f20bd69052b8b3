import type { CreateMessageRequest, ModifyMessageRequest } from '../../shared/openai-types';
import { badRequest } from '../api-error';
import { asArray, asObject, oneOf, rejectUnknownFields, requireField, requiredString } from './field-rules';
import type { JsonObject } from './json-body';
import { optionalMetadata } from './metadata';
import { excerpt } from '../../platform/request-input';

/** CreateMessageRequest: text content only (a string, or text parts). */
export function parseCreateMessage(value: unknown, path = ''): CreateMessageRequest {
  const body = asObject(value, path || 'body');
  const prefix = path ? `${path}.` : '';
  rejectUnknownFields(body, ['role', 'content', 'attachments', 'metadata'], prefix);
  const role = oneOf(
    requireField(body, 'role', `${prefix}role`),
    ['user', 'assistant'] as const,
    `${prefix}role`,
  );
  const content = parseContent(requireField(body, 'content', `${prefix}content`), `${prefix}content`);
  const attachments =
    body.attachments === undefined || body.attachments === null
      ? null
      : asArray(body.attachments, `${prefix}attachments`);
  const metadata = optionalMetadata(body);
  return { role, content, attachments, metadata: metadata ?? null };
}

function parseContent(value: unknown, path: string): CreateMessageRequest['content'] {
  if (typeof value === 'string') return value;
  return asArray(value, path).map((item, index) => {
    const part = asObject(item, `${path}[${index}]`);
    if (part.type !== 'text') {
      throw badRequest(
        `Invalid value: '${excerpt(String(part.type))}'. The Runboard emulator supports text content parts only ('text').`,
        `${path}[${index}].type`,
        'invalid_value',
      );
    }
    rejectUnknownFields(part, ['type', 'text'], `${path}[${index}].`);
    return { type: 'text' as const, text: requiredString(part, 'text', `${path}[${index}].text`) };
  });
}

export function optionalMessages(body: JsonObject, key: string): CreateMessageRequest[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  return asArray(value, key).map((item, index) => parseCreateMessage(item, `${key}[${index}]`));
}

export function messageText(content: CreateMessageRequest['content']): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

/** ModifyMessageRequest (L44796): `metadata` only (content cannot be changed); absent or null leaves it as it is. */
export function parseModifyMessage(body: JsonObject): ModifyMessageRequest {
  rejectUnknownFields(body, ['metadata']);
  return { metadata: optionalMetadata(body) };
}

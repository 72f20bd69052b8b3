import type { AuditAction } from '../../shared/audit-types';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAX_SUMMARY = 300;

/**
 * One line saying what a write asked for. Built from named fields only, so nothing secret can leak into the audit
 * trail: no headers are read, and free text (instructions, tool outputs, message content) is measured, never copied.
 */
export function summarizeWrite(action: AuditAction, body: unknown): string {
  const request = isObject(body) ? body : {};
  const parts: string[] = [];
  const metadataKeys = isObject(request.metadata) ? Object.keys(request.metadata) : null;
  switch (action) {
    case 'create_run':
    case 'create_thread_and_run':
      if (typeof request.assistant_id === 'string') parts.push(`assistant ${request.assistant_id}`);
      if (typeof request.model === 'string') parts.push(`model ${request.model}`);
      if (typeof request.instructions === 'string')
        parts.push(`instructions (${request.instructions.length} chars)`);
      if (Array.isArray(request.tools)) parts.push(`${request.tools.length} tools`);
      break;
    case 'submit_tool_outputs': {
      const outputs = Array.isArray(request.tool_outputs) ? request.tool_outputs : [];
      const ids = outputs.flatMap((output) =>
        isObject(output) && typeof output.tool_call_id === 'string' ? [output.tool_call_id] : [],
      );
      parts.push(
        `${outputs.length} tool output${outputs.length === 1 ? '' : 's'}${ids.length ? ` for ${ids.join(', ')}` : ''}`,
      );
      break;
    }
    case 'cancel_run':
      parts.push('cancel requested');
      break;
    case 'create_thread':
      if (Array.isArray(request.messages)) parts.push(`${request.messages.length} first messages`);
      break;
    case 'create_message':
      if (typeof request.role === 'string') parts.push(`role ${request.role}`);
      break;
    default:
      break;
  }
  if (metadataKeys) {
    parts.push(metadataKeys.length ? `metadata keys ${metadataKeys.join(', ')}` : 'metadata cleared');
  }
  const text = parts.join('; ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

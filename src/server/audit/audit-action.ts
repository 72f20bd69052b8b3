import type { AuditAction } from '../../shared/audit-types';

export interface ClassifiedWrite {
  action: AuditAction;
  threadId: string | null;
  runId: string | null;
}

const ROUTES: { method: string; pattern: RegExp; action: AuditAction }[] = [
  { method: 'POST', pattern: /^\/threads$/, action: 'create_thread' },
  { method: 'POST', pattern: /^\/threads\/runs$/, action: 'create_thread_and_run' },
  { method: 'POST', pattern: /^\/threads\/(?<thread>[^/]+)$/, action: 'modify_thread' },
  { method: 'DELETE', pattern: /^\/threads\/(?<thread>[^/]+)$/, action: 'delete_thread' },
  { method: 'POST', pattern: /^\/threads\/(?<thread>[^/]+)\/messages$/, action: 'create_message' },
  { method: 'POST', pattern: /^\/threads\/(?<thread>[^/]+)\/runs$/, action: 'create_run' },
  { method: 'POST', pattern: /^\/threads\/(?<thread>[^/]+)\/runs\/(?<run>[^/]+)$/, action: 'modify_run' },
  {
    method: 'POST',
    pattern: /^\/threads\/(?<thread>[^/]+)\/runs\/(?<run>[^/]+)\/cancel$/,
    action: 'cancel_run',
  },
  {
    method: 'POST',
    pattern: /^\/threads\/(?<thread>[^/]+)\/runs\/(?<run>[^/]+)\/submit_tool_outputs$/,
    action: 'submit_tool_outputs',
  },
  { method: 'POST', pattern: /^\/assistants$/, action: 'create_assistant' },
  { method: 'POST', pattern: /^\/assistants\/[^/]+$/, action: 'modify_assistant' },
  { method: 'DELETE', pattern: /^\/assistants\/[^/]+$/, action: 'delete_assistant' },
];

/** Which action a /v1 write is, from its method and its path below /v1. */
export function classifyWrite(method: string, pathBelowV1: string): ClassifiedWrite {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathBelowV1);
    if (match) {
      return {
        action: route.action,
        threadId: decode(match.groups?.thread),
        runId: decode(match.groups?.run),
      };
    }
  }
  return { action: 'other_write', threadId: null, runId: null };
}

function decode(segment: string | undefined): string | null {
  if (segment === undefined) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

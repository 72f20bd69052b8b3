/** Runboard's audit trail (`GET /api/audit`): one entry per write sent to /v1 through Runboard. */

export type AuditAction =
  | 'create_thread'
  | 'modify_thread'
  | 'delete_thread'
  | 'create_message'
  | 'create_run'
  | 'create_thread_and_run'
  | 'modify_run'
  | 'cancel_run'
  | 'submit_tool_outputs'
  | 'create_assistant'
  | 'modify_assistant'
  | 'delete_assistant'
  | 'other_write';

/**
 * Who sent the request: `dashboard` when the browser's Origin is one of Runboard's pages (checked by the server's
 * perimeter), `api` for any other client (the SDK, curl: no Origin).
 */
export type AuditSource = 'dashboard' | 'api';

/** An entry's fields besides its id, in the order both audit stores (and the copy to PostgreSQL) write them. */
export const AUDIT_ENTRY_COLUMNS = [
  'at',
  'method',
  'path',
  'action',
  'thread_id',
  'run_id',
  'status',
  'source',
  'summary',
  'error',
] as const;

export interface AuditEntry {
  id: number;
  /** Unix seconds. */
  at: number;
  method: string;
  path: string;
  action: AuditAction;
  thread_id: string | null;
  run_id: string | null;
  /** The HTTP status Runboard answered. */
  status: number;
  source: AuditSource;
  /** What was asked, in words; never keys, tokens or tool output text. */
  summary: string;
  /** The error message when the request was refused. */
  error: string | null;
}

export interface AuditListResponse {
  object: 'list';
  data: AuditEntry[];
}

import type { AuditAction } from '../../../shared/audit-types';

const LABELS: Record<AuditAction, string> = {
  create_thread: 'Thread created',
  modify_thread: 'Thread modified',
  delete_thread: 'Thread deleted',
  create_message: 'Message added',
  create_run: 'Run created',
  create_thread_and_run: 'Thread and run created',
  modify_run: 'Metadata modified',
  cancel_run: 'Cancel requested',
  submit_tool_outputs: 'Tool outputs submitted',
  create_assistant: 'Assistant created',
  modify_assistant: 'Assistant modified',
  delete_assistant: 'Assistant deleted',
  other_write: 'Other write',
};

export function actionLabel(action: AuditAction): string {
  return LABELS[action];
}

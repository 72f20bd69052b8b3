import { useId } from 'react';
import type { RunToolCall } from '../../../../shared/openai-types';
import { cx } from '../../../ui/cx';
import { FieldHint } from '../../../ui/form-field';
import { ToolCallDetails } from '../../../ui/tool-call-details';
import { jsonHint } from './tool-outputs-draft';

/**
 * One tool call: its function name, call id and pretty-printed arguments (shown here only, once), and the output to
 * send for it. Text that is not JSON is flagged, and still sent as it is (outputs are strings; JSON is a habit).
 */
export function ToolOutputField({
  call,
  value,
  onChange,
  readOnly,
}: {
  call: RunToolCall;
  value: string;
  onChange?: (value: string) => void;
  readOnly: boolean;
}) {
  const inputId = useId();
  const hintId = useId();
  const hint = jsonHint(value);
  const name = call.function.name;
  return (
    <div
      role="group"
      aria-label={`Tool output for ${name}`}
      className="flex flex-col gap-1.5 rounded-md border border-line p-2"
    >
      <ToolCallDetails call={call} compact />
      <label htmlFor={inputId} className="text-xs font-medium">
        Output for {name}
      </label>
      <textarea
        id={inputId}
        value={value}
        readOnly={readOnly}
        onChange={(event) => onChange?.(event.target.value)}
        aria-describedby={hint ? hintId : undefined}
        rows={3}
        spellCheck={false}
        placeholder={readOnly ? undefined : '{"result": …} or plain text'}
        className={cx(
          'min-h-16 resize-y rounded-md border bg-surface px-2 py-1.5 font-mono text-xs read-only:bg-raised',
          hint ? 'border-status-warning' : 'border-line-strong',
        )}
      />
      {hint && (
        <FieldHint id={hintId} tone="warning">
          {hint}
        </FieldHint>
      )}
    </div>
  );
}

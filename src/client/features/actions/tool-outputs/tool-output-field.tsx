import { useId } from 'react';
import type { RunToolCall } from '../../../../shared/openai-types';
import { CopyButton } from '../../../ui/copy-button';
import { JsonView, prettyJsonText } from '../../../ui/json-view';
import { jsonHint } from './tool-outputs-draft';

/** One tool call: its function name, call id, pretty-printed arguments, and the output to send for it. */
export function ToolOutputField({
  call,
  value,
  onChange,
  readOnly,
  argumentsOpen,
}: {
  call: RunToolCall;
  value: string;
  onChange?: (value: string) => void;
  readOnly: boolean;
  argumentsOpen: boolean;
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
      <div className="flex min-w-0 items-center gap-2">
        <label htmlFor={inputId} className="font-mono text-xs font-semibold">
          Output for {name}
        </label>
        <span className="flex min-w-0 items-center text-faint">
          <span className="truncate font-mono text-[11px]">{call.id}</span>
          <CopyButton value={call.id} label={`Copy tool call id ${call.id}`} />
        </span>
      </div>
      <details open={argumentsOpen} className="text-xs">
        <summary className="cursor-pointer text-muted select-none">Arguments</summary>
        <JsonView
          value={prettyJsonText(call.function.arguments)}
          label={`Arguments for ${name}`}
          className="mt-1"
        />
      </details>
      <textarea
        id={inputId}
        value={value}
        readOnly={readOnly}
        onChange={(event) => onChange?.(event.target.value)}
        aria-describedby={hint ? hintId : undefined}
        rows={3}
        spellCheck={false}
        placeholder={readOnly ? undefined : '{"result": …} or plain text'}
        className="min-h-16 resize-y rounded-md border border-line-strong bg-surface px-2 py-1.5 font-mono text-xs read-only:bg-raised"
      />
      {hint && (
        <p id={hintId} className="text-[11px] text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}

import type { RunToolCall } from '../../shared/openai-types';
import { CopyButton } from './copy-button';
import { JsonView, prettyJsonText } from './json-view';

/** A tool call as the run asked for it: the function's name, the call id (copyable) and the pretty-printed arguments. */
export function ToolCallDetails({ call, compact = false }: { call: RunToolCall; compact?: boolean }) {
  const name = call.function.name;
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex min-w-0 flex-wrap items-center gap-x-2">
        <span className="font-mono text-xs font-semibold">{name}</span>
        <span className="flex min-w-0 items-center text-muted">
          <span className="truncate font-mono text-[11px]">{call.id}</span>
          <CopyButton value={call.id} label={`Copy tool call id ${call.id}`} />
        </span>
      </div>
      <JsonView
        value={prettyJsonText(call.function.arguments)}
        label={`Arguments of ${name}`}
        className={compact ? 'text-xs' : undefined}
        compact={compact}
      />
    </div>
  );
}

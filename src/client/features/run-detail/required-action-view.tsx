import type { RequiredAction } from '../../../shared/openai-types';
import { CopyButton } from '../../ui/copy-button';
import { JsonView, prettyJsonText } from '../../ui/json-view';

/** The tool calls a `requires_action` run waits for: function name, call id and pretty-printed arguments. */
export function RequiredActionView({ action }: { action: RequiredAction }) {
  const calls = action.submit_tool_outputs.tool_calls;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs text-muted">
        <span className="font-mono">{action.type}</span>: {calls.length} tool call
        {calls.length === 1 ? '' : 's'} waiting for outputs.
      </p>
      <ul className="flex flex-col gap-2">
        {calls.map((call) => (
          <li
            key={call.id}
            aria-label={`Tool call ${call.function.name}`}
            className="rounded-md border border-line p-2"
          >
            <div className="mb-1 flex items-center gap-2">
              <span className="font-mono text-xs font-semibold">{call.function.name}</span>
              <span className="flex min-w-0 items-center text-faint">
                <span className="truncate font-mono text-[11px]">{call.id}</span>
                <CopyButton value={call.id} label={`Copy tool call id ${call.id}`} />
              </span>
            </div>
            <JsonView
              value={prettyJsonText(call.function.arguments)}
              label={`Arguments of ${call.function.name}`}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

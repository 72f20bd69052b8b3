import type { RequiredAction } from '../../../shared/openai-types';
import { ToolCallDetails } from '../../ui/tool-call-details';

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
            <ToolCallDetails call={call} />
          </li>
        ))}
      </ul>
    </div>
  );
}

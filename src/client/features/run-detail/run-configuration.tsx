import { useState } from 'react';
import type { AssistantTool, Run } from '../../../shared/openai-types';
import { Field, Missing } from './detail-section';

function describeTool(tool: AssistantTool): string {
  return tool.type === 'function' ? `function ${tool.function.name}` : tool.type;
}

function describeJsonish(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** How the run was configured: model, instructions, tools and sampling, as the server answered them. */
export function RunConfiguration({ run }: { run: Run }) {
  return (
    <dl>
      <Field label="Model" wireName="model">
        <span className="font-mono text-xs">{run.model}</span>
      </Field>
      <Field label="Instructions" wireName="instructions">
        <Instructions text={run.instructions} />
      </Field>
      <Field label="Tools" wireName="tools">
        {run.tools.length === 0 ? (
          <Missing>None</Missing>
        ) : (
          <ul className="flex flex-wrap gap-1">
            {run.tools.map((tool, index) => (
              <li
                key={index}
                className="rounded bg-raised px-1.5 font-mono text-[11px]"
                title={tool.type === 'function' ? tool.function.description : undefined}
              >
                {describeTool(tool)}
              </li>
            ))}
          </ul>
        )}
      </Field>
      <Field label="Temperature" wireName="temperature">
        {run.temperature ?? <Missing>default (1)</Missing>}
      </Field>
      <Field label="Top p" wireName="top_p">
        {run.top_p ?? <Missing>default (1)</Missing>}
      </Field>
      <Field label="Max prompt tokens" wireName="max_prompt_tokens">
        {run.max_prompt_tokens ?? <Missing>no limit</Missing>}
      </Field>
      <Field label="Max completion tokens" wireName="max_completion_tokens">
        {run.max_completion_tokens ?? <Missing>no limit</Missing>}
      </Field>
      <Field label="Truncation" wireName="truncation_strategy">
        {run.truncation_strategy ? (
          <span className="font-mono text-xs">
            {run.truncation_strategy.type}
            {run.truncation_strategy.type === 'last_messages' &&
              ` (${run.truncation_strategy.last_messages ?? '?'} messages)`}
          </span>
        ) : (
          <Missing />
        )}
      </Field>
      <Field label="Tool choice" wireName="tool_choice">
        {run.tool_choice ? (
          <span className="font-mono text-xs">{describeJsonish(run.tool_choice)}</span>
        ) : (
          <Missing />
        )}
      </Field>
      <Field label="Response format" wireName="response_format">
        {run.response_format ? (
          <span className="font-mono text-xs break-all">{describeJsonish(run.response_format)}</span>
        ) : (
          <Missing />
        )}
      </Field>
      <Field label="Parallel tool calls" wireName="parallel_tool_calls">
        {run.parallel_tool_calls ? 'Yes' : 'No'}
      </Field>
    </dl>
  );
}

const PREVIEW_CHARS = 160;

function Instructions({ text }: { text: string | null }) {
  const [expanded, setExpanded] = useState(false);
  if (!text) return <Missing>None</Missing>;
  const long = text.length > PREVIEW_CHARS || text.includes('\n');
  return (
    <div className="flex flex-col items-start gap-1">
      <p className="whitespace-pre-wrap">
        {expanded || !long ? text : `${text.slice(0, PREVIEW_CHARS).split('\n')[0]}…`}
      </p>
      {long && (
        <button
          type="button"
          aria-expanded={expanded}
          onClick={() => setExpanded((value) => !value)}
          className="text-xs text-accent hover:underline"
        >
          {expanded ? 'Show less' : `Show all instructions (${text.length} characters)`}
        </button>
      )}
    </div>
  );
}

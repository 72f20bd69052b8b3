import type { AssistantTool, FunctionTool, Run, RunToolCall } from '../../../shared/openai-types';
import { newId } from '../../ids';
import { sampleArguments } from './sample-arguments';

/**
 * The calls a run asks for: one per function tool unless tool_choice is `none`; only the first when
 * parallel_tool_calls is false; only the named one when tool_choice names a function.
 */
export function planToolCalls(
  run: Pick<Run, 'tools' | 'tool_choice' | 'parallel_tool_calls'>,
): RunToolCall[] {
  const functions = run.tools.filter((tool): tool is FunctionTool => tool.type === 'function');
  const choice = run.tool_choice;
  if (functions.length === 0 || choice === 'none') return [];
  let chosen = functions;
  if (typeof choice === 'object' && choice !== null) {
    if (choice.type !== 'function') return [];
    chosen = functions.filter((tool) => tool.function.name === choice.function.name);
  }
  if (!run.parallel_tool_calls) chosen = chosen.slice(0, 1);
  return chosen.map((tool) => ({
    id: newId('call'),
    type: 'function',
    function: {
      name: tool.function.name,
      arguments: JSON.stringify(sampleArguments(tool.function.parameters)),
    },
  }));
}

export function functionNames(tools: AssistantTool[]): string[] {
  return tools
    .filter((tool): tool is FunctionTool => tool.type === 'function')
    .map((tool) => tool.function.name);
}

import type { Assistant, CreateRunRequest, Run } from '../../shared/openai-types';
import { badRequest } from '../api-error';

/**
 * `code_interpreter` is refused when a run is created with it among its tools (its own `tools`, or the
 * assistant's when it gives none): Runboard executes no code, and a run that offered the tool to no one would
 * answer as if it had none, a silent wrong answer. The refusal says where the tool came from and how to run
 * without it. What running it would take is written in the README.
 */
export function refuseUnrunnableTools(run: Run, request: CreateRunRequest, assistant: Assistant): void {
  const index = run.tools.findIndex((tool) => tool.type === 'code_interpreter');
  if (index === -1) return;
  const fromRequest = request.tools != null;
  throw badRequest(
    fromRequest
      ? `Invalid 'tools[${index}]': the code_interpreter tool is not supported by this server (Runboard executes no code). Create the run with tools that leave it out.`
      : `The assistant ${assistant.id} has the code_interpreter tool, which this server does not support (Runboard executes no code). Create the run with 'tools' that leave it out, or remove it from the assistant's tools.`,
    fromRequest ? `tools[${index}]` : 'tools',
    'unsupported_tool',
  );
}

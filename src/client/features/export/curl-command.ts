import type { Run } from '../../../shared/openai-types';

export interface CurlAction {
  label: string;
  command: string;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A cURL command against this Runboard; the access token is left to an environment variable, never written out. */
export function curlCommand(
  origin: string,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  tokenRequired: boolean,
): string {
  const parts = [`curl -sS${method === 'POST' ? ' -X POST' : ''} ${quote(`${origin}${path}`)}`];
  parts.push(`-H 'OpenAI-Beta: assistants=v2'`);
  if (tokenRequired) parts.push(`-H "x-runboard-token: $RUNBOARD_TOKEN"`);
  if (body !== undefined) {
    parts.push(`-H 'Content-Type: application/json'`);
    parts.push(`-d ${quote(JSON.stringify(body))}`);
  }
  return parts.join(' \\\n  ');
}

/** Fetch the run, and each action that applies to it now. */
export function runCurlActions(run: Run, origin: string, tokenRequired: boolean): CurlAction[] {
  const runPath = `/v1/threads/${run.thread_id}/runs/${run.id}`;
  const actions: CurlAction[] = [
    { label: 'Retrieve run', command: curlCommand(origin, 'GET', runPath, undefined, tokenRequired) },
    {
      label: 'List steps',
      command: curlCommand(origin, 'GET', `${runPath}/steps`, undefined, tokenRequired),
    },
    {
      label: 'Modify metadata',
      command: curlCommand(origin, 'POST', runPath, { metadata: run.metadata ?? {} }, tokenRequired),
    },
  ];
  if (['queued', 'in_progress', 'requires_action'].includes(run.status)) {
    actions.push({
      label: 'Cancel',
      command: curlCommand(origin, 'POST', `${runPath}/cancel`, {}, tokenRequired),
    });
  }
  const calls =
    run.status === 'requires_action' ? run.required_action?.submit_tool_outputs.tool_calls : undefined;
  if (calls) {
    actions.push({
      label: 'Submit tool outputs',
      command: curlCommand(
        origin,
        'POST',
        `${runPath}/submit_tool_outputs`,
        {
          tool_outputs: calls.map((call) => ({
            tool_call_id: call.id,
            output: `<output of ${call.function.name}>`,
          })),
        },
        tokenRequired,
      ),
    });
  }
  actions.push({
    label: 'Create a run like this one',
    command: curlCommand(
      origin,
      'POST',
      `/v1/threads/${run.thread_id}/runs`,
      { assistant_id: run.assistant_id, model: run.model },
      tokenRequired,
    ),
  });
  return actions;
}

import type { AssistantTool, Message, RunToolCall, ToolOutput } from '../../shared/openai-types';

/** Deterministic token counts: about four characters a token, as OpenAI's rule of thumb goes. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function promptTokens(instructions: string, messages: Message[], tools: AssistantTool[]): number {
  const conversation = messages
    .map((message) => message.content.map((part) => part.text.value).join('\n'))
    .join('\n');
  return (
    countTokens(instructions) +
    countTokens(conversation) +
    countTokens(tools.length ? JSON.stringify(tools) : '')
  );
}

/** The text on one line, cut to `max` characters with an ellipsis. */
export function quote(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The assistant's answer to a run without tool calls. */
export function directReply(assistantName: string | null, messages: Message[]): string {
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const who = assistantName ?? 'the assistant';
  if (!lastUser) return `Hello! This is ${who}, emulated by Runboard. How can I help?`;
  const question = lastUser.content.map((part) => part.text.value).join(' ');
  return `This is ${who}, emulated by Runboard. You asked: "${quote(question)}". Here is a deterministic answer so you can follow the run from start to finish.`;
}

/** The assistant's answer once tool outputs are in: it mentions each call and what it returned. */
export function replyWithToolOutputs(calls: RunToolCall[], outputs: ToolOutput[]): string {
  const lines = calls.map((call) => {
    const output = outputs.find((candidate) => candidate.tool_call_id === call.id)?.output ?? '';
    return `- ${call.function.name} returned: ${quote(output, 200)}`;
  });
  return `I called ${calls.length === 1 ? 'one tool' : `${calls.length} tools`} and used the results:\n${lines.join('\n')}`;
}

/** The start of an answer cut off by the completion-token limit. */
export function truncatedReply(assistantName: string | null, messages: Message[]): string {
  const full = directReply(assistantName, messages);
  return full.slice(0, Math.max(20, Math.floor(full.length / 2)));
}

import type { Message, Run } from '../../../shared/openai-types';
import { RUN_PREVIEW_MAX_CHARS, type RunPreview } from '../../../shared/runs-query-types';

/** The messages around a run that its preview reads (the emulator has them; proxy mode has none). */
export interface RunMessages {
  input: Message | null;
  reply: Message | null;
}

export const NO_RUN_MESSAGES: RunMessages = { input: null, reply: null };

/**
 * How much of a text a preview reads: enough for its bound after white space is folded, never the whole of a long
 * answer (a growing reply of a megabyte would otherwise be folded whole at each growth).
 */
const READ_CHARS = RUN_PREVIEW_MAX_CHARS * 4;

/** A message's text on one line, cut to the preview's bound. */
function oneLine(text: string): string | null {
  const line = text.trimStart().slice(0, READ_CHARS).replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  return line.length > RUN_PREVIEW_MAX_CHARS ? `${line.slice(0, RUN_PREVIEW_MAX_CHARS - 1)}…` : line;
}

function messageText(message: Message | null): string | null {
  if (!message) return null;
  return oneLine(message.content.map((part) => (part.type === 'text' ? part.text.value : '')).join(' '));
}

/**
 * Whether a reply that read `textBefore` already fills its preview: what is appended to it then changes nothing, so
 * a growing answer is not read again at each growth.
 */
export function replyPreviewFull(textBefore: string): boolean {
  return (oneLine(textBefore)?.length ?? 0) >= RUN_PREVIEW_MAX_CHARS;
}

/**
 * A run's preview: what it was asked (the user message before it) and what it answered (its reply), or, while it
 * waits on tool outputs, the tools it asks for. The one place a preview is computed: the index stores it with the run.
 */
export function runPreview(run: Run, messages: RunMessages): RunPreview {
  const calls = run.status === 'requires_action' ? run.required_action?.submit_tool_outputs.tool_calls : null;
  const asks = calls?.length
    ? oneLine(`Asks for ${[...new Set(calls.map((call) => call.function.name))].join(', ')}`)
    : null;
  return { input: messageText(messages.input), output: asks ?? messageText(messages.reply) };
}

/** Whether `message`, grown by `textDelta`, had already filled its preview: its run's preview is unchanged. */
export function grownPastPreview(message: Message, textDelta: string): boolean {
  const text = message.content[0]?.type === 'text' ? message.content[0].text.value : '';
  return replyPreviewFull(text.slice(0, Math.max(0, text.length - textDelta.length)));
}

import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatToolCall,
  ChatUsage,
  FinishReason,
} from './chat-types';

/** What one model call produced. `usage` is null when the upstream did not report it. */
export interface Completion {
  text: string;
  toolCalls: ChatToolCall[];
  finishReason: FinishReason | null;
  usage: ChatUsage | null;
}

/**
 * Merges streamed chunks into one completion, the way OpenAI's SDK does: text concatenated, tool calls merged by
 * `index` (the id and name arrive first, the arguments in pieces). Only the first choice is read (`n` is never set).
 */
export class CompletionAccumulator {
  private text = '';
  private readonly calls: Array<{ id: string; name: string; arguments: string }> = [];
  private finishReason: FinishReason | null = null;
  private usage: ChatUsage | null = null;

  /** Adds a chunk; returns the text it appended (empty when none). */
  add(chunk: ChatCompletionChunk): string {
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    if (!choice) return '';
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    for (const [position, part] of (choice.delta?.tool_calls ?? []).entries()) {
      const index = part.index ?? position;
      const call = (this.calls[index] ??= { id: '', name: '', arguments: '' });
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
    }
    const appended = choice.delta?.content ?? '';
    this.text += appended;
    return appended;
  }

  /** A whole completion (an upstream that answered without streaming). Returns its text. */
  addWhole(completion: ChatCompletion): string {
    const choice = completion.choices?.[0];
    if (completion.usage) this.usage = completion.usage;
    this.finishReason = choice?.finish_reason ?? null;
    for (const call of choice?.message?.tool_calls ?? []) {
      this.calls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
    const text = choice?.message?.content ?? '';
    this.text += text;
    return text;
  }

  hasOutput(): boolean {
    return this.text.length > 0 || this.calls.length > 0;
  }

  result(): Completion {
    return {
      text: this.text,
      toolCalls: this.calls
        .filter((call) => call !== undefined && call.name !== '')
        .map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.arguments || '{}' },
        })),
      finishReason: this.finishReason,
      usage: this.usage,
    };
  }
}

/**
 * Splits a server-sent-event byte stream into the `data` of each event. Comments, `event:`/`id:` lines and blank
 * data are skipped; several `data:` lines of one event are joined with a newline, as the SSE spec says.
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      newline = buffer.indexOf('\n');
    }
  }
  const tail = buffer.replace(/\r$/, '');
  if (tail.startsWith('data:')) data.push(tail.slice(tail.startsWith('data: ') ? 6 : 5));
  if (data.length > 0) yield data.join('\n');
}

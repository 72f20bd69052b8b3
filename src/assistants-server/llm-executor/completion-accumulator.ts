import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatToolCall,
  ChatUsage,
  FinishReason,
} from './chat-types';
import { utf8Prefix } from './upstream-reads';

/** What one model call produced. `usage` is null when the upstream did not report it. */
export interface Completion {
  text: string;
  toolCalls: ChatToolCall[];
  finishReason: FinishReason | null;
  usage: ChatUsage | null;
}

/** How much of a model answer is kept (`RUNBOARD_MODEL_MAX_ANSWER_BYTES`, `RUNBOARD_MODEL_MAX_TOOL_CALLS`). */
export interface AnswerLimits {
  /** The answer's text, tool names and arguments together, in UTF-8 bytes. */
  maxAnswerBytes: number;
  /** Tool calls in one answer; a streamed call's `index` must be below it. */
  maxToolCalls: number;
}

/** The model sent something no answer can hold (a tool-call index out of range, too many tool calls). */
export class MalformedAnswer extends Error {}

/**
 * Merges streamed chunks into one completion, the way OpenAI's SDK does: text concatenated, tool calls merged by
 * `index` (the id and name arrive first, the arguments in pieces). Only the first choice is read (`n` is never set).
 * Once the answer reaches `maxAnswerBytes` it is cut there and `cutOff` is set: the caller stops reading, and the
 * completion ends as `length` (what a model reports when it hits its token limit).
 */
export class CompletionAccumulator {
  private text = '';
  private readonly calls: Array<{ id: string; name: string; arguments: string }> = [];
  private finishReason: FinishReason | null = null;
  private usage: ChatUsage | null = null;
  private bytes = 0;
  /** True once the answer reached `maxAnswerBytes`: nothing more is kept. */
  cutOff = false;

  constructor(private readonly limits: AnswerLimits) {}

  /** Adds a chunk; returns the text it appended (empty when none). */
  add(chunk: ChatCompletionChunk): string {
    if (this.cutOff) return '';
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0);
    if (!choice) return '';
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    const appended = this.keep(choice.delta?.content ?? '');
    this.text += appended;
    for (const [position, part] of (choice.delta?.tool_calls ?? []).entries()) {
      const call = this.callAt(part.index ?? position);
      if (part.id) call.id = this.keep(part.id);
      if (part.function?.name) call.name += this.keep(part.function.name);
      if (part.function?.arguments) call.arguments += this.keep(part.function.arguments);
    }
    return appended;
  }

  /** A whole completion (an upstream that answered without streaming). Returns its text. */
  addWhole(completion: ChatCompletion): string {
    const choice = completion.choices?.[0];
    if (completion.usage) this.usage = completion.usage;
    this.finishReason = choice?.finish_reason ?? null;
    const text = this.keep(choice?.message?.content ?? '');
    this.text += text;
    const calls = choice?.message?.tool_calls ?? [];
    if (calls.length > this.limits.maxToolCalls) this.tooManyCalls(calls.length);
    for (const call of calls) {
      if (this.cutOff) break;
      this.calls.push({
        id: this.keep(call.id ?? ''),
        name: this.keep(call.function?.name ?? ''),
        arguments: this.keep(call.function?.arguments ?? ''),
      });
    }
    return text;
  }

  /** The answer's size so far, in UTF-8 bytes. */
  get keptBytes(): number {
    return this.bytes;
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
      finishReason: this.cutOff ? 'length' : this.finishReason,
      usage: this.usage,
    };
  }

  /** The part of `piece` that still fits in the answer; sets `cutOff` when it does not all fit. */
  private keep(piece: string): string {
    if (this.cutOff || piece === '') return '';
    const size = Buffer.byteLength(piece);
    if (this.bytes + size <= this.limits.maxAnswerBytes) {
      this.bytes += size;
      return piece;
    }
    this.cutOff = true;
    const kept = utf8Prefix(piece, this.limits.maxAnswerBytes - this.bytes);
    this.bytes = this.limits.maxAnswerBytes;
    return kept;
  }

  /** The call at a streamed `index`: a small integer below `maxToolCalls`, so the list stays dense and short. */
  private callAt(index: number): { id: string; name: string; arguments: string } {
    if (!Number.isInteger(index) || index < 0) {
      throw new MalformedAnswer(`The model sent a tool call with index ${JSON.stringify(index)}.`);
    }
    if (index >= this.limits.maxToolCalls) this.tooManyCalls(index + 1);
    while (this.calls.length <= index) this.calls.push({ id: '', name: '', arguments: '' });
    return this.calls[index]!;
  }

  private tooManyCalls(count: number): never {
    throw new MalformedAnswer(
      `The model sent ${count} or more tool calls; at most ${this.limits.maxToolCalls} are accepted in one answer (RUNBOARD_MODEL_MAX_TOOL_CALLS).`,
    );
  }
}

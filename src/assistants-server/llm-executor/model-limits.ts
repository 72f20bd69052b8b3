import type { AnswerLimits } from './completion-accumulator';

/** Bounds, in bytes and items, on what the model endpoint may send (`RUNBOARD_MODEL_MAX_*`, see README.md). */
export interface ModelLimits extends AnswerLimits {
  /** A body read whole: a non-streamed completion. An error body is read up to `ERROR_BODY_BYTES` of it. */
  maxBodyBytes: number;
  /** One line (and one event's data) of the event stream. */
  maxLineBytes: number;
}

export const DEFAULT_MODEL_LIMITS: ModelLimits = {
  // About 260,000 tokens at four bytes a token: above any model's completion limit (gpt-4.1: 32,768 tokens).
  maxAnswerBytes: 1024 * 1024,
  // OpenAI's own bound: an assistant has at most 128 tools.
  maxToolCalls: 128,
  maxBodyBytes: 4 * 1024 * 1024,
  maxLineBytes: 1024 * 1024,
};

/** Only the message of an error body is kept (500 characters): no more than this is read of it. */
export const ERROR_BODY_BYTES = 64 * 1024;

/** Streamed events in a row that add nothing to the answer before the stream counts as broken. */
export const MAX_EMPTY_EVENTS = 1_000;

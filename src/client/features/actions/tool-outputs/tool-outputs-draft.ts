import type { RunToolCall, ToolOutput } from '../../../../shared/openai-types';

/**
 * Hand-written tool outputs, kept per run in sessionStorage so they survive polling, re-renders and a reload, and
 * last only as long as the browser tab. The calls are kept too: once the run has moved on, the draft can still be
 * shown with what each output was for.
 */
export interface ToolOutputsDraft {
  runId: string;
  calls: RunToolCall[];
  /** Output text by tool call id. */
  outputs: Record<string, string>;
}

const DRAFT_PREFIX = 'runboard.toolOutputs.draft.';
const SUBMITTED_PREFIX = 'runboard.toolOutputs.submitted.';
/** Used when sessionStorage is unavailable (disabled, full): the draft then lasts until the page is closed. */
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    const storage = globalThis.sessionStorage;
    if (storage) return storage.getItem(key);
  } catch {
    // fall back to memory
  }
  return memory.get(key) ?? null;
}

function write(key: string, value: string | null): void {
  try {
    const storage = globalThis.sessionStorage;
    if (storage) {
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, value);
      return;
    }
  } catch {
    // fall back to memory
  }
  if (value === null) memory.delete(key);
  else memory.set(key, value);
}

function isDraft(value: unknown, runId: string): value is ToolOutputsDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Partial<ToolOutputsDraft>;
  return (
    draft.runId === runId &&
    Array.isArray(draft.calls) &&
    typeof draft.outputs === 'object' &&
    draft.outputs !== null &&
    Object.values(draft.outputs).every((output) => typeof output === 'string')
  );
}

export function readDraft(runId: string): ToolOutputsDraft | null {
  const raw = read(DRAFT_PREFIX + runId);
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isDraft(value, runId) ? value : null;
  } catch {
    return null;
  }
}

/** Saves the draft; a draft with no text at all is removed instead, so an untouched form leaves nothing behind. */
export function saveDraft(draft: ToolOutputsDraft): void {
  write(DRAFT_PREFIX + draft.runId, hasText(draft.outputs) ? JSON.stringify(draft) : null);
}

export function discardDraft(runId: string): void {
  write(DRAFT_PREFIX + runId, null);
}

/** After a successful submit: the draft goes, and the run is remembered as answered from this tab. */
/** Runs whose outputs this page just sent: the notice that replaces their form takes the focus once. */
const submittedNow = new Set<string>();

export function markSubmitted(runId: string): void {
  discardDraft(runId);
  write(SUBMITTED_PREFIX + runId, String(Date.now()));
  submittedNow.add(runId);
}

/** True once after this page submitted the run's outputs (not after a reload). */
export function takeJustSubmitted(runId: string): boolean {
  return submittedNow.delete(runId);
}

export function wasSubmittedHere(runId: string): boolean {
  return read(SUBMITTED_PREFIX + runId) !== null;
}

export function hasText(outputs: Record<string, string>): boolean {
  return Object.values(outputs).some((output) => output.length > 0);
}

/** The calls that still have no output; submit waits until this is empty (all outputs go in one request). */
export function callsWithoutOutput(
  calls: readonly RunToolCall[],
  outputs: Record<string, string>,
): RunToolCall[] {
  return calls.filter((call) => !outputs[call.id]);
}

export function toToolOutputs(calls: readonly RunToolCall[], outputs: Record<string, string>): ToolOutput[] {
  return calls.map((call) => ({ tool_call_id: call.id, output: outputs[call.id] ?? '' }));
}

/** A hint when an output is not JSON. JSON is common, not required: the text is sent as it is either way. */
export function jsonHint(output: string): string | null {
  const trimmed = output.trim();
  if (!trimmed) return null;
  try {
    JSON.parse(trimmed);
    return null;
  } catch {
    return 'Not valid JSON: it will be sent as plain text.';
  }
}

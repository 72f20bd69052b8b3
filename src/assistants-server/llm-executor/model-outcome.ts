import type {
  FileSearchToolCallDetails,
  IncompleteReason,
  Message,
  RunStep,
  Usage,
} from '../../shared/openai-types';
import { fileCitations } from '../run-search/citations';
import type { FileSearchCall } from '../run-search/run-file-search';
import { newId } from '../ids';
import type { Outcome } from '../lifecycle/run-executor';
import { countTokens } from '../lifecycle/replies';
import { assistantMessage, functionCallsStep, newStep, usageOf } from '../lifecycle/wire-objects';
import type { ModelRunState, RunRecord } from '../store/run-record';
import type { ModelCallResult } from './call-with-retries';

/** How a model turn ended: the call's result, or a token limit reached before calling. */
export type TurnEnd = ModelCallResult | { ok: false; aborted: false; incomplete: IncompleteReason };

/** The turn's file_search calls, already run (by the index of the model's call), and what a reply may cite. */
export interface TurnSearches {
  done: ReadonlyMap<number, FileSearchCall>;
  /** The run's file_search calls before this turn, in step order. */
  citable: readonly FileSearchToolCallDetails[];
}

const NO_SEARCHES: TurnSearches = { done: new Map(), citable: [] };

/**
 * Writes a model turn into the run (mutating it) and returns what to store: the answer completes the run (its
 * citation markers annotated); file_search calls (run already) become a completed step and leave the run
 * in_progress for the next turn; function calls make it `requires_action` with the model's call ids; `length` and
 * `content_filter` end it `incomplete`; failures end it `failed` with OpenAI's codes. `usage` is the sum over the
 * run's model calls.
 */
export function turnOutcome(
  record: RunRecord,
  seconds: number,
  end: Exclude<TurnEnd, { aborted: true }>,
  written: { message: Message; step: RunStep } | null,
  promptEstimate: number,
  /** The ids of the run's earlier tool calls: a call id is never given twice in one run. */
  usedCallIds: ReadonlySet<string>,
  searches: TurnSearches = NO_SEARCHES,
): Outcome {
  const { run, internal } = record;
  const state = internal.model!;
  const outcome: Outcome = { toolCallsStep: null, reply: null, ended: null };
  const endRun = () => {
    run.expires_at = null;
    run.required_action = null;
    run.usage = { ...state.usage };
  };

  if (!end.ok) {
    if ('incomplete' in end) {
      run.status = 'incomplete';
      run.incomplete_details = { reason: end.incomplete };
      endRun();
      return outcome;
    }
    run.status = 'failed';
    run.failed_at = seconds;
    run.last_error = { code: end.code, message: end.message };
    endRun();
    if (written) {
      const { message, step } = written;
      message.status = 'incomplete';
      message.incomplete_at = seconds;
      message.incomplete_details = { reason: 'run_failed' };
      step.status = 'failed';
      step.failed_at = seconds;
      step.last_error = run.last_error;
      outcome.ended = { message, step };
    }
    return outcome;
  }

  const completion = end.completion;
  const callText = completion.toolCalls.map((call) => call.function.name + call.function.arguments).join('');
  const usage = completion.usage
    ? usageOf(completion.usage.prompt_tokens, completion.usage.completion_tokens)
    : usageOf(promptEstimate, countTokens(completion.text + callText));
  addUsage(state, usage);
  state.turns++;
  const finish = completion.finishReason;
  const wantsTools = completion.toolCalls.length > 0 && finish !== 'length' && finish !== 'content_filter';

  let answer = written;
  if (!answer && !wantsTools) {
    // The model answered with no text at all: an empty message still says the run answered.
    const message = assistantMessage(run.thread_id, run.id, run.assistant_id, '', seconds);
    const step = newStep(
      { threadId: run.thread_id, runId: run.id, assistantId: run.assistant_id, createdAt: seconds },
      { type: 'message_creation', message_creation: { message_id: message.id } },
    );
    answer = { message, step };
    outcome.reply = answer;
  }
  if (answer) {
    const { message, step } = answer;
    if (finish === 'length' || finish === 'content_filter') {
      message.status = 'incomplete';
      message.completed_at = null;
      message.incomplete_at = seconds;
      message.incomplete_details = { reason: finish === 'length' ? 'max_tokens' : 'content_filter' };
    } else {
      message.status = 'completed';
      message.completed_at = seconds;
    }
    for (const part of message.content)
      part.text.annotations = fileCitations(part.text.value, searches.citable);
    step.status = 'completed';
    step.completed_at = seconds;
    step.usage = wantsTools ? null : usage;
    if (written) outcome.ended = { message, step };
  }

  if (wantsTools) {
    const stepBase = {
      threadId: run.thread_id,
      runId: run.id,
      assistantId: run.assistant_id,
      createdAt: seconds,
    };
    const searchCalls: FileSearchToolCallDetails[] = [];
    const calls = withUniqueIds(completion.toolCalls, usedCallIds).filter((call, index) => {
      const searched = searches.done.get(index);
      if (searched) searchCalls.push({ id: call.id, ...searched });
      return !searched;
    });
    if (searchCalls.length > 0) {
      const step = newStep(stepBase, { type: 'tool_calls', tool_calls: searchCalls });
      step.status = 'completed';
      step.completed_at = seconds;
      step.usage = usage;
      outcome.searchStep = step;
      state.searchTurns = (state.searchTurns ?? 0) + 1;
      // Only searches: the run stays in_progress and the model is called again with the results.
      if (calls.length === 0) return outcome;
    }
    const step = functionCallsStep(stepBase, calls);
    outcome.toolCallsStep = step;
    run.status = 'requires_action';
    run.required_action = { type: 'submit_tool_outputs', submit_tool_outputs: { tool_calls: calls } };
    internal.plannedToolCalls = calls;
    internal.toolCallsStepId = step.id;
    // The model call's usage is on the search step when the same answer searched.
    state.toolCallsUsage = searchCalls.length > 0 ? usageOf(0, 0) : usage;
    return outcome;
  }
  if (finish === 'length' || finish === 'content_filter') {
    run.status = 'incomplete';
    // OpenAI's run has no reason for a filtered answer (the message says content_filter).
    run.incomplete_details = finish === 'length' ? { reason: 'max_completion_tokens' } : {};
    endRun();
    return outcome;
  }
  run.status = 'completed';
  run.completed_at = seconds;
  endRun();
  return outcome;
}

/**
 * The model's call ids, except that a missing one, or one already given in this run (a model that says `call_1`
 * every turn, or twice in one answer), gets a new id: outputs are matched by id, so a repeated id could never be
 * answered. The model sees the ids given here in the next turn's prompt, so they stay consistent for it.
 */
function withUniqueIds<T extends { id: string }>(calls: T[], usedCallIds: ReadonlySet<string>): T[] {
  const given = new Set(usedCallIds);
  return calls.map((call) => {
    let id = call.id;
    while (!id || given.has(id)) id = newId('call');
    given.add(id);
    return { ...call, id };
  });
}

function addUsage(state: ModelRunState, usage: Usage): void {
  state.usage = usageOf(
    state.usage.prompt_tokens + usage.prompt_tokens,
    state.usage.completion_tokens + usage.completion_tokens,
  );
}

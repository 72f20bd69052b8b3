import type { FileSearchToolCallDetails, Message, RunStep, Usage } from '../../shared/openai-types';
import type { RunRecord } from '../store/run-record';
import { countTokens, directReply, replyWithToolOutputs, truncatedReply } from './replies';
import { failureCode, FAILURE_MESSAGES, incompleteReason } from '../emulation/scripted-runs/scenarios';
import { assistantMessage, functionCallsStep, newStep, usageOf } from './wire-objects';
import { scriptedSearchStep, searchReply } from '../emulation/scripted-runs/scripted-search';
import { fileCitations } from '../run-search/citations';

/** An assistant message and the message_creation step that wrote it, both as they end. */
export interface Reply {
  step: RunStep;
  message: Message;
}

/** What a run's work wrote when it left in_progress. */
export interface Outcome {
  /** The tool_calls step a run stops in requires_action with (in_progress until outputs arrive). */
  toolCallsStep: RunStep | null;
  /** A reply written whole at the end (scripted): its step and message are written in OpenAI's streaming order. */
  reply: Reply | null;
  /** A message and step written while the answer streamed in (a model), as they end. */
  ended?: Reply | null;
  /** A completed tool_calls step of file_search calls, written before the reply and any function calls. */
  searchStep?: RunStep | null;
  /** The work is not done yet (files still processed): nothing is written, and `finish` is due again this much later (ms). */
  finishAgainAfterMs?: number;
}

const NOTHING: Outcome = { toolCallsStep: null, reply: null };

/**
 * What an in_progress run turns into when its work is done: failed or incomplete (scenarios), requires_action
 * (function calls still unanswered), or completed with an assistant message. Mutates the record's run.
 */
export function applyOutcome(
  record: RunRecord,
  seconds: number,
  assistantName: string | null,
  conversation: Message[],
  /** The run's file_search call, searched in this pass: its step comes first and the reply cites its results. */
  search: FileSearchToolCallDetails | null = null,
): Outcome {
  const { run, internal } = record;
  const firstPass = internal.toolOutputs === null;
  const prompt = internal.promptTokens;
  const stepBase = {
    threadId: run.thread_id,
    runId: run.id,
    assistantId: run.assistant_id,
    createdAt: seconds,
  };

  const errorCode = firstPass ? failureCode(internal.scenario) : null;
  if (errorCode) {
    run.status = 'failed';
    run.failed_at = seconds;
    run.last_error = { code: errorCode, message: FAILURE_MESSAGES[errorCode] };
    run.expires_at = null;
    run.usage = usageOf(prompt, 0);
    return NOTHING;
  }

  const reason = firstPass ? incompleteReason(internal.scenario) : null;
  if (reason) {
    run.status = 'incomplete';
    run.incomplete_details = { reason };
    run.expires_at = null;
    if (reason === 'max_prompt_tokens') {
      run.usage = usageOf(prompt, 0);
      return NOTHING;
    }
    const text = truncatedReply(assistantName, conversation);
    const message = assistantMessage(run.thread_id, run.id, run.assistant_id, text, seconds, true);
    const step = completedStep(
      newStep(stepBase, messageCreation(message.id)),
      seconds,
      prompt,
      countTokens(text),
    );
    run.usage = usageOf(prompt, countTokens(text));
    return { toolCallsStep: null, reply: { step, message } };
  }

  const searchStep = search ? scriptedSearchStep(record, search, seconds) : null;
  const calls = internal.plannedToolCalls;
  if (calls.length > 0 && firstPass) {
    run.status = 'requires_action';
    run.required_action = { type: 'submit_tool_outputs', submit_tool_outputs: { tool_calls: calls } };
    const step = functionCallsStep(stepBase, calls);
    internal.toolCallsStepId = step.id;
    return { toolCallsStep: step, reply: null, searchStep };
  }

  const outputs = internal.toolOutputs ?? [];
  const text = search
    ? searchReply(search)
    : firstPass
      ? directReply(assistantName, conversation)
      : replyWithToolOutputs(calls, outputs);
  const callTokens = countTokens(calls.map((call) => call.function.arguments).join(''));
  const secondPrompt = firstPass
    ? prompt
    : prompt + callTokens + countTokens(outputs.map((o) => o.output).join(''));
  const message = assistantMessage(run.thread_id, run.id, run.assistant_id, text, seconds);
  if (search) message.content[0]!.text.annotations = fileCitations(text, [search]);
  const step = completedStep(
    newStep(stepBase, messageCreation(message.id)),
    seconds,
    secondPrompt,
    countTokens(text),
  );
  run.status = 'completed';
  run.completed_at = seconds;
  run.expires_at = null;
  run.usage = firstPass
    ? usageOf(prompt, countTokens(text))
    : usageOf(prompt + secondPrompt, callTokens + countTokens(text));
  return { toolCallsStep: null, reply: { step, message }, searchStep };
}

/** A run still not ended at expires_at. OpenAI keeps expires_at on expired runs, so it stays set here. */
export function applyExpired(record: RunRecord, usage: Usage): string {
  const { run } = record;
  run.status = 'expired';
  run.required_action = null;
  run.usage = usage;
  return run.id;
}

/** A run whose scheduled transition threw: it fails as OpenAI reports its own errors (`server_error`). */
export function applyFailed(
  record: RunRecord,
  seconds: number,
  usage: Usage | null,
  message: string = FAILURE_MESSAGES.server_error,
): string {
  const { run } = record;
  run.status = 'failed';
  run.failed_at = seconds;
  run.last_error = { code: 'server_error', message };
  run.required_action = null;
  run.expires_at = null;
  run.usage = usage;
  return run.id;
}

export function applyCancelled(record: RunRecord, seconds: number, usage: Usage): string {
  const { run } = record;
  run.status = 'cancelled';
  run.cancelled_at = seconds;
  run.required_action = null;
  run.expires_at = null;
  run.usage = usage;
  return run.id;
}

/** The scripted estimate of what a run used before it ended early: its prompt, and the calls it asked for. */
export function scriptedUsageSoFar({ run, internal }: RunRecord): Usage {
  const prompt = run.started_at !== null ? internal.promptTokens : 0;
  const asked = internal.toolCallsStepId !== null;
  const completion = asked
    ? countTokens(internal.plannedToolCalls.map((call) => call.function.arguments).join(''))
    : 0;
  return usageOf(prompt, completion);
}

function messageCreation(messageId: string): RunStep['step_details'] {
  return { type: 'message_creation', message_creation: { message_id: messageId } };
}

function completedStep(step: RunStep, seconds: number, prompt: number, completion: number): RunStep {
  step.status = 'completed';
  step.completed_at = seconds;
  step.usage = usageOf(prompt, completion);
  return step;
}

import type { CreateRunRequest, Metadata, Run, RunStep, ToolOutput } from '../../shared/openai-types';
import { isCancellableStatus } from '../../shared/openai-types';
import { badRequest, notFound } from '../api-error';
import type { EmulatorClock } from '../clock/emulator-clock';
import type { EmulatorStore } from '../store/emulator-store';
import type { RunRecord, Transition } from '../store/run-record';
import { checkIdShape } from '../validation/path-ids';
import { postedMessage, startedMessage, startedStep } from './wire-objects';
import { buildQueuedRun } from './build-run';
import { applyOutcome, applyCancelled, applyExpired, type Reply } from './run-outcomes';
import { promptTokens } from './replies';
import { scenarioFor } from './scenarios';
import { DELAYS_MS, scaled } from './timings';
import { functionNames, planToolCalls } from './tool-plan';

export interface LifecycleSettings {
  timeScale: number;
}

/**
 * The run lifecycle's rules: what a request may do to a run, and what each scheduled transition does.
 * Every transition happens "at" its due time (not when it is processed), so catching up after a pause, a restart
 * or a clock advance replays the same history a live server would have written.
 */
export class RunLifecycle {
  constructor(
    private readonly store: EmulatorStore,
    private readonly clock: EmulatorClock,
    private readonly settings: LifecycleSettings,
    private readonly onScheduleChanged: () => void = () => {},
  ) {}

  createRun(threadId: string, request: CreateRunRequest, at = this.clock.now()): Run {
    const assistantId = checkIdShape('assistant_id', request.assistant_id, 'asst');
    const assistant = this.store.assistants.get(assistantId);
    if (!assistant) throw notFound(`No assistant found with id '${assistantId}'.`);
    const active = this.store.runs.activeRun(threadId);
    if (active) throw badRequest(`Thread ${threadId} already has an active run ${active.id}.`);

    const createdAt = Math.floor(at / 1000);
    const run = buildQueuedRun(threadId, request, assistant, createdAt);
    const choice = run.tool_choice;
    if (
      typeof choice === 'object' &&
      choice?.type === 'function' &&
      !functionNames(run.tools).includes(choice.function.name)
    ) {
      throw badRequest(
        `Invalid 'tool_choice': the function '${choice.function.name}' is not one of the run's tools.`,
        'tool_choice',
        'invalid_value',
      );
    }
    const scenario = scenarioFor(run.metadata, assistant.metadata);
    const record: RunRecord = {
      run,
      internal: {
        scenario,
        plannedToolCalls: planToolCalls(run),
        toolOutputs: null,
        toolCallsStepId: null,
        promptTokens: 0,
      },
      schedule: null,
    };
    this.store.transaction(() => {
      for (const message of request.additional_messages ?? []) {
        this.store.messages.insert(postedMessage(threadId, message, createdAt));
      }
      this.schedule(record, 'start', at + this.delay(DELAYS_MS.queuedToInProgress));
      this.store.runs.insert(record);
    });
    this.onScheduleChanged();
    return run;
  }

  updateMetadata(record: RunRecord, metadata: Metadata | null | undefined): Run {
    if (metadata) record.run.metadata = metadata;
    this.store.runs.update(record);
    return record.run;
  }

  cancel(record: RunRecord, at = this.clock.now()): Run {
    const { run, internal } = record;
    if (!isCancellableStatus(run.status)) throw badRequest(`Cannot cancel run with status '${run.status}'.`);
    run.status = 'cancelling';
    run.required_action = null;
    const delay =
      internal.scenario === 'cancel_stuck' ? DELAYS_MS.stuckCancelling : DELAYS_MS.cancellingToCancelled;
    this.schedule(record, 'cancel', at + this.delay(delay));
    this.store.runs.update(record);
    this.onScheduleChanged();
    return run;
  }

  submitToolOutputs(record: RunRecord, outputs: ToolOutput[], at = this.clock.now()): Run {
    const { run, internal } = record;
    if (run.status !== 'requires_action') {
      throw badRequest(`Runs in status "${run.status}" do not accept tool outputs.`);
    }
    const expected = internal.plannedToolCalls.map((call) => call.id);
    const got = outputs.map((output) => output.tool_call_id);
    const matches =
      expected.length === got.length &&
      new Set(got).size === got.length &&
      got.every((id) => expected.includes(id));
    if (!matches) {
      const list = (ids: string[]) => `[${ids.map((id) => `'${id}'`).join(', ')}]`;
      throw badRequest(
        `Expected tool outputs for call_ids ${list(expected)}, got ${list(got)}`,
        'tool_outputs',
      );
    }
    const seconds = Math.floor(at / 1000);
    this.store.transaction(() => {
      const step = internal.toolCallsStepId ? this.store.steps.get(run.id, internal.toolCallsStepId) : null;
      if (step) this.store.steps.update(completeToolCallsStep(step, outputs, seconds, internal.promptTokens));
      internal.toolOutputs = outputs;
      run.status = 'queued';
      run.required_action = null;
      this.schedule(record, 'start', at + this.delay(DELAYS_MS.queuedToInProgress));
      this.store.runs.update(record);
    });
    this.onScheduleChanged();
    return run;
  }

  /** Applies, in due order, every transition due by `upTo`. Returns how many were applied. */
  processDue(upTo = this.clock.now()): number {
    let applied = 0;
    for (let record = this.store.runs.firstDue(upTo); record; record = this.store.runs.firstDue(upTo)) {
      const current = record;
      this.store.transaction(() => this.apply(current));
      applied++;
    }
    if (applied > 0) this.onScheduleChanged();
    return applied;
  }

  private apply(record: RunRecord): void {
    const { run, internal, schedule } = record;
    if (!schedule) return;
    const at = schedule.dueAt;
    const seconds = Math.floor(at / 1000);
    record.schedule = null;
    switch (schedule.transition) {
      case 'start': {
        const firstStart = internal.toolOutputs === null;
        run.status = 'in_progress';
        run.started_at ??= seconds;
        if (firstStart) {
          internal.promptTokens = promptTokens(
            run.instructions,
            this.store.messages.inThread(run.thread_id),
            run.tools,
          );
        }
        if (firstStart && internal.scenario === 'expire') {
          this.schedule(record, 'expire', (run.expires_at ?? seconds) * 1000);
        } else {
          const slow = firstStart && internal.scenario === 'slow';
          this.schedule(
            record,
            'finish',
            at + this.delay(slow ? DELAYS_MS.slowInProgress : DELAYS_MS.inProgressToOutcome),
          );
        }
        break;
      }
      case 'finish': {
        const assistantName = this.store.assistants.get(run.assistant_id)?.name ?? null;
        const outcome = applyOutcome(
          record,
          seconds,
          assistantName,
          this.store.messages.inThread(run.thread_id),
        );
        if (outcome.toolCallsStep) this.store.steps.insert(outcome.toolCallsStep);
        if (outcome.reply) this.writeReply(outcome.reply);
        if (run.status === 'requires_action')
          this.schedule(record, 'expire', (run.expires_at ?? seconds) * 1000);
        break;
      }
      case 'expire':
        this.endSteps(applyExpired(record), 'expired', seconds);
        break;
      case 'cancel':
        this.endSteps(applyCancelled(record, seconds), 'cancelled', seconds);
        break;
    }
    this.store.runs.update(record);
  }

  /**
   * Writes a reply in the order OpenAI streams it: the step, then its message, each first in_progress (the message
   * still empty), then the message's text and status, then the step's. Streams read these writes off the event seam.
   */
  private writeReply({ step, message }: Reply): void {
    this.store.steps.insert(startedStep(step));
    this.store.messages.insert(startedMessage(message));
    this.store.messages.update(message);
    this.store.steps.update(step);
  }

  private endSteps(runId: string, status: 'expired' | 'cancelled', seconds: number): void {
    for (const step of this.store.steps.ofRun(runId)) {
      if (step.status !== 'in_progress') continue;
      step.status = status;
      if (status === 'expired') step.expired_at = seconds;
      else step.cancelled_at = seconds;
      this.store.steps.update(step);
    }
  }

  /** Sets the next transition; anything due after the run's expiry becomes the expiry (a cancel still completes). */
  private schedule(record: RunRecord, transition: Transition, dueAt: number): void {
    const expiresAtMs = record.run.expires_at !== null ? record.run.expires_at * 1000 : Infinity;
    if (transition !== 'cancel' && dueAt > expiresAtMs)
      record.schedule = { transition: 'expire', dueAt: expiresAtMs };
    else record.schedule = { transition, dueAt };
  }

  private delay(baseMs: number): number {
    return scaled(baseMs, this.settings.timeScale);
  }
}

function completeToolCallsStep(
  step: RunStep,
  outputs: ToolOutput[],
  seconds: number,
  prompt: number,
): RunStep {
  if (step.step_details.type !== 'tool_calls') return step;
  let completion = 0;
  for (const call of step.step_details.tool_calls) {
    call.function.output = outputs.find((output) => output.tool_call_id === call.id)?.output ?? null;
    completion += Math.ceil(call.function.arguments.length / 4);
  }
  step.status = 'completed';
  step.completed_at = seconds;
  step.usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  return step;
}

import type { CreateRunRequest, Metadata, Run, RunStep, ToolOutput, Usage } from '../../shared/openai-types';
import { isCancellableStatus } from '../../shared/openai-types';
import type { RunExecutorKind } from '../../shared/runboard-types';
import { badRequest, notFound } from '../api-error';
import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { AssistantsStore } from '../store/assistants-store';
import type { RunRecord, Transition } from '../store/run-record';
import type { DueRun } from '../store/run-store';
import type { Logger } from '../../platform/logger';
import { checkIdShape } from '../validation/path-ids';
import { postedMessage, startedMessage, startedStep } from './wire-objects';
import { buildQueuedRun } from './build-run';
import { applyCancelled, applyExpired, applyFailed, type Outcome, type Reply } from './run-outcomes';
import type { RunExecutor } from './run-executor';
import { FAILURE_MESSAGES, scenarioFor } from '../emulation/scripted-runs/scenarios';
import { ScriptedExecutor } from '../emulation/scripted-runs/scripted-executor';
import { DELAYS_MS, scaled } from './timings';
import { functionNames } from '../emulation/scripted-runs/tool-plan';

export interface LifecycleSettings {
  timeScale: number;
}

/**
 * The most transitions one `processDue` call applies: the scheduler's timer comes back for the rest on the next turn
 * of the event loop, so a backlog (a restart after a long stop, a big clock advance) never holds requests for long.
 */
export const DUE_BATCH_SIZE = 50;
/** The most transitions a read of one thread applies to catch it up (its active run moves a few steps at most). */
export const THREAD_CATCH_UP_LIMIT = 16;

/** The executors at hand, and which one new runs get (a run with a scenario trigger is always scripted). */
export interface LifecycleExecutors {
  model: RunExecutor | null;
  defaultKind: RunExecutorKind;
}

/**
 * The run lifecycle's rules: what a request may do to a run, and what each scheduled transition does.
 * Every transition happens "at" its due time (not when it is processed), so catching up after a pause, a restart
 * or a clock advance replays the same history a live server would have written.
 */
export class RunLifecycle {
  private readonly scripted: RunExecutor;
  private model: RunExecutor | null = null;
  private defaultKind: RunExecutorKind = 'scripted';
  /** Runs whose record could not be read and whose schedule could not even be cleared: skipped from now on. */
  private readonly setAside = new Set<string>();

  constructor(
    private readonly store: AssistantsStore,
    private readonly clock: EmulatorClock,
    private readonly settings: LifecycleSettings,
    private readonly logger: Logger,
    private readonly onScheduleChanged: () => void = () => {},
  ) {
    this.scripted = new ScriptedExecutor(store, settings);
  }

  /** Puts a model executor in charge of new runs (the model executor needs the lifecycle, so it comes after). */
  setExecutors({ model, defaultKind }: LifecycleExecutors): void {
    this.model = model;
    this.defaultKind = model ? defaultKind : 'scripted';
  }

  /** Who executes new runs (a run with a scenario trigger is always scripted). */
  get defaultExecutor(): RunExecutorKind {
    return this.defaultKind;
  }

  /**
   * `executor` overrides who runs it (the demo seed keeps its runs scripted). A run with a `runboard_scenario` is
   * always scripted, so the test triggers work the same whoever executes the other runs.
   */
  createRun(
    threadId: string,
    request: CreateRunRequest,
    at = this.clock.now(),
    executor?: RunExecutorKind,
  ): Run {
    const assistantId = checkIdShape('assistant_id', request.assistant_id, 'asst');
    const assistant = this.store.assistants.get(assistantId);
    if (!assistant) throw notFound(`No assistant found with id '${assistantId}'.`);
    const active = this.store.runs.activeRunId(threadId);
    if (active) throw badRequest(`Thread ${threadId} already has an active run ${active}.`);

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
    const kind = scenario ? 'scripted' : (executor ?? this.defaultKind);
    const record: RunRecord = {
      run,
      internal: {
        scenario,
        plannedToolCalls: [],
        toolOutputs: null,
        toolCallsStepId: null,
        promptTokens: 0,
        executor: kind,
      },
      schedule: null,
    };
    const runner = this.executorOf(record);
    record.internal.plannedToolCalls = runner.plan(run);
    this.store.transaction(() => {
      for (const message of request.additional_messages ?? []) {
        this.store.messages.insert(postedMessage(threadId, message, createdAt));
      }
      this.schedule(record, 'start', at + runner.queuedDelayMs(record));
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
    this.executorOf(record).stop(run.id);
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
      const usage = internal.model?.toolCallsUsage ?? null;
      if (step)
        this.store.steps.update(completeToolCallsStep(step, outputs, seconds, internal.promptTokens, usage));
      internal.toolOutputs = outputs;
      run.status = 'queued';
      run.required_action = null;
      this.schedule(record, 'start', at + this.executorOf(record).queuedDelayMs(record));
      this.store.runs.update(record);
    });
    this.onScheduleChanged();
    return run;
  }

  /**
   * Applies, in due order, the transitions due by `upTo`: at most `limit` of them (see DUE_BATCH_SIZE). Returns how
   * many runs it moved (a run whose transition threw counts: it was failed or set aside).
   */
  processDue(upTo = this.clock.now(), limit = DUE_BATCH_SIZE): number {
    return this.applyDue(() => this.store.runs.firstDue(upTo, this.setAside), limit);
  }

  /** Every transition due by `upTo`, batch after batch: at start, before the server listens. */
  processAllDue(upTo = this.clock.now()): number {
    let applied = 0;
    for (let batch = this.processDue(upTo); batch > 0; batch = this.processDue(upTo)) applied += batch;
    return applied;
  }

  /** A read of one thread first applies what is due for its runs, so its answer is as of now (bounded). */
  catchUpThread(threadId: string, upTo = this.clock.now()): number {
    return this.applyDue(
      () => this.store.runs.firstDueInThread(threadId, upTo, this.setAside),
      THREAD_CATCH_UP_LIMIT,
    );
  }

  /** When the next transition not set aside is due, or null (the scheduler's timer). */
  nextDueAt(): number | null {
    return this.store.runs.nextDueAt(this.setAside);
  }

  private applyDue(nextDue: () => DueRun | null, limit: number): number {
    let applied = 0;
    while (applied < limit) {
      const due = nextDue();
      if (!due) break;
      try {
        this.store.transaction(() => this.apply(due.load()));
      } catch (error) {
        this.failBrokenRun(due, error);
      }
      applied++;
    }
    if (applied > 0) this.onScheduleChanged();
    return applied;
  }

  /**
   * A transition threw (a bug, or a row written by hand): the run fails with a server_error at the transition's due
   * time, logged once, and the scheduler goes on with the others. When even that throws (the row cannot be read),
   * the run is set aside: its schedule is cleared without reading it, and it is logged once.
   */
  private failBrokenRun(due: DueRun, cause: unknown): void {
    const fields = {
      runId: due.id,
      threadId: due.threadId,
      transition: due.transition,
      error: describe(cause),
    };
    try {
      this.failRun(due);
    } catch (error) {
      fields.error = `${fields.error}; failing it: ${describe(error)}`;
      this.setRunAside(due.id);
      this.logger.error(
        'A run record cannot be read: set aside, its transitions will not be applied',
        fields,
      );
      return;
    }
    this.logger.error('A run failed: its scheduled transition threw', fields);
  }

  /** Clears the run's schedule by id, without reading its row; in memory when even that write fails. */
  private setRunAside(runId: string): void {
    try {
      this.store.runs.setAside(runId);
    } catch {
      this.setAside.add(runId);
    }
  }

  /** The run of a transition that threw fails at the transition's due time, its work with it. */
  private failRun(due: DueRun): void {
    this.store.transaction(() => {
      const record = due.load();
      const seconds = Math.floor(due.dueAt / 1000);
      const executor = this.executorOf(record);
      executor.stop(record.run.id);
      record.schedule = null;
      const usage = usageOrNull(() => executor.usageSoFar(record));
      this.endWork(applyFailed(record, seconds, usage), 'failed', seconds);
      this.store.runs.update(record);
    });
  }

  private apply(record: RunRecord): void {
    const { run, schedule } = record;
    if (!schedule) return;
    const at = schedule.dueAt;
    const seconds = Math.floor(at / 1000);
    record.schedule = null;
    const executor = this.executorOf(record);
    switch (schedule.transition) {
      case 'start': {
        run.status = 'in_progress';
        run.started_at ??= seconds;
        const next = executor.begin(record, at);
        this.schedule(record, next.transition, next.dueAt);
        break;
      }
      case 'finish':
        this.writeOutcome(record, executor.finish(record, seconds), seconds);
        break;
      case 'expire':
        executor.stop(run.id);
        this.endWork(applyExpired(record, executor.usageSoFar(record)), 'expired', seconds);
        break;
      case 'cancel':
        this.endWork(applyCancelled(record, seconds, executor.usageSoFar(record)), 'cancelled', seconds);
        break;
    }
    this.store.runs.update(record);
  }

  /**
   * A thread is about to be deleted: the work of its active run (a model call) stops first. Only the model executor
   * has work between transitions, and stopping it needs only the id (the row may be broken: deleting is the cure).
   */
  stopActiveWork(threadId: string): void {
    const active = this.store.runs.activeRunId(threadId);
    if (active) this.model?.stop(active);
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

  /**
   * Settles an in_progress run whose work finished on its own (the model executor): `produce` mutates the record's
   * run and returns what to write, in one transaction. Does nothing, and returns false, when the run is no longer
   * in_progress (cancelled or expired meanwhile).
   */
  settle(runId: string, produce: (record: RunRecord, seconds: number) => Outcome): boolean {
    const at = this.clock.now();
    const seconds = Math.floor(at / 1000);
    const settled = this.store.transaction(() => {
      const record = this.store.runs.get(runId);
      if (!record || record.run.status !== 'in_progress') return false;
      record.schedule = null;
      this.writeOutcome(record, produce(record, seconds), seconds);
      this.store.runs.update(record);
      return true;
    });
    if (settled) this.onScheduleChanged();
    return settled;
  }

  /** In OpenAI's order: a streamed message and its step end, a reply is written, then a tool_calls step starts. */
  private writeOutcome(record: RunRecord, outcome: Outcome, seconds: number): void {
    if (outcome.ended) {
      this.store.messages.update(outcome.ended.message);
      this.store.steps.update(outcome.ended.step);
    }
    if (outcome.reply) this.writeReply(outcome.reply);
    if (outcome.toolCallsStep) this.store.steps.insert(outcome.toolCallsStep);
    if (record.run.status === 'requires_action')
      this.schedule(record, 'expire', (record.run.expires_at ?? seconds) * 1000);
  }

  /** A run cancelled, expired or failed: its steps and any message still being written end with it. */
  private endWork(runId: string, status: 'expired' | 'cancelled' | 'failed', seconds: number): void {
    for (const step of this.store.steps.ofRun(runId)) {
      if (step.status !== 'in_progress') continue;
      step.status = status;
      if (status === 'expired') step.expired_at = seconds;
      else if (status === 'cancelled') step.cancelled_at = seconds;
      else {
        step.failed_at = seconds;
        step.last_error = { code: 'server_error', message: FAILURE_MESSAGES.server_error };
      }
      this.store.steps.update(step);
      if (step.step_details.type !== 'message_creation') continue;
      const message = this.store.messages.get(step.thread_id, step.step_details.message_creation.message_id);
      if (message?.status !== 'in_progress') continue;
      message.status = 'incomplete';
      message.incomplete_at = seconds;
      message.incomplete_details = { reason: INCOMPLETE_REASONS[status] };
      this.store.messages.update(message);
    }
  }

  private executorOf(record: RunRecord): RunExecutor {
    return record.internal.executor === 'model' && this.model ? this.model : this.scripted;
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

const INCOMPLETE_REASONS = {
  expired: 'run_expired',
  cancelled: 'run_cancelled',
  failed: 'run_failed',
} as const;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A broken record may not even say what it used: its run then fails without usage. */
function usageOrNull(read: () => Usage): Usage | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** The outputs go into the step's calls; its usage is the model call's, or the scripted estimate. */
function completeToolCallsStep(
  step: RunStep,
  outputs: ToolOutput[],
  seconds: number,
  prompt: number,
  usage: Usage | null,
): RunStep {
  if (step.step_details.type !== 'tool_calls') return step;
  let completion = 0;
  for (const call of step.step_details.tool_calls) {
    call.function.output = outputs.find((output) => output.tool_call_id === call.id)?.output ?? null;
    completion += Math.ceil(call.function.arguments.length / 4);
  }
  step.status = 'completed';
  step.completed_at = seconds;
  step.usage = usage ?? {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  return step;
}

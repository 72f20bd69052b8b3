import { refuseUnrunnableTools } from './unsupported-tools';
import type {
  Assistant,
  CreateRunRequest,
  Metadata,
  Run,
  RunStatus,
  RunStep,
  ToolOutput,
  Usage,
} from '../../shared/openai-types';
import { isCancellableStatus } from '../../shared/openai-types';
import type { RunExecutorKind } from '../../shared/runboard-types';
import { badRequest, notFound } from '../api-error';
import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { AssistantsStore, DueRun, StoreTransaction } from '../store/assistants-store';
import type { RunRecord, Transition } from '../store/run-record';
import type { Logger } from '../../platform/logger';
import { checkIdShape } from '../validation/path-ids';
import { postedMessage, startedMessage, startedStep } from './wire-objects';
import { buildQueuedRun } from './build-run';
import { applyCancelled, applyExpired, applyFailed, type Outcome, type Reply } from './run-outcomes';
import type { FinishInTransaction, RunExecutor } from './run-executor';
import { FAILURE_MESSAGES, scenarioFor } from '../emulation/scripted-runs/scenarios';
import { ScriptedExecutor } from '../emulation/scripted-runs/scripted-executor';
import { DELAYS_MS, scaled } from './timings';
import { functionNames } from '../emulation/scripted-runs/tool-plan';
import { thisInstance, type InstanceLease } from './instance-lease';
import type { FileSearch } from '../file-search/file-search';

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
    /** Runs with `file_search` search it; null (tests of the lifecycle alone): they search nothing. */
    fileSearch: FileSearch | null = null,
    /** The owner of the runs this instance claims, and their lease (several instances on one database). */
    readonly lease: InstanceLease = thisInstance(),
  ) {
    this.scripted = new ScriptedExecutor(settings, fileSearch);
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
  async createRun(
    threadId: string,
    request: CreateRunRequest,
    at = this.clock.now(),
    executor?: RunExecutorKind,
  ): Promise<Run> {
    const assistantId = checkIdShape('assistant_id', request.assistant_id, 'asst');
    const run = await this.store.transaction(async (tx) => {
      const assistant = await tx.assistants.get(assistantId);
      if (!assistant) throw notFound(`No assistant found with id '${assistantId}'.`);
      // The thread's lock (one active run) is checked and taken in one transaction, whoever else adds a run.
      await tx.threads.getForUpdate(threadId);
      const active = await tx.runs.activeRunId(threadId);
      if (active) throw badRequest(`Thread ${threadId} already has an active run ${active}.`);
      return this.insertRun(tx, threadId, request, assistant, at, executor);
    });
    this.onScheduleChanged();
    return run;
  }

  private async insertRun(
    tx: StoreTransaction,
    threadId: string,
    request: CreateRunRequest,
    assistant: Assistant,
    at: number,
    executor: RunExecutorKind | undefined,
  ): Promise<Run> {
    const createdAt = Math.floor(at / 1000);
    const run = buildQueuedRun(threadId, request, assistant, createdAt);
    refuseUnrunnableTools(run, request, assistant);
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
    for (const message of request.additional_messages ?? []) {
      await tx.messages.insert(postedMessage(threadId, message, createdAt));
    }
    this.schedule(record, 'start', at + runner.queuedDelayMs(record));
    await tx.runs.insert(record);
    return run;
  }

  /**
   * A request's change to a run: the run is read again inside the transaction, locked, so the decision is made on
   * what is stored now, whoever wrote it last (another request, the scheduler, another instance).
   */
  private async changeRun(
    runId: string,
    change: (record: RunRecord, tx: StoreTransaction) => Promise<void>,
  ): Promise<RunRecord> {
    return this.store.transaction(async (tx) => {
      const record = await tx.runs.getForUpdate(runId);
      if (!record) throw notFound(`No run found with id '${runId}'.`);
      const before = record.run.status;
      await change(record, tx);
      await this.write(tx, record, before);
      return record;
    });
  }

  async updateMetadata(runId: string, metadata: Metadata | null | undefined): Promise<Run> {
    const record = await this.changeRun(runId, async (stored) => {
      if (metadata) stored.run.metadata = metadata;
    });
    return record.run;
  }

  async cancel(runId: string, at = this.clock.now()): Promise<Run> {
    const record = await this.changeRun(runId, async (stored) => {
      const { run, internal } = stored;
      if (!isCancellableStatus(run.status))
        throw badRequest(`Cannot cancel run with status '${run.status}'.`);
      run.status = 'cancelling';
      run.required_action = null;
      const delay =
        internal.scenario === 'cancel_stuck' ? DELAYS_MS.stuckCancelling : DELAYS_MS.cancellingToCancelled;
      this.schedule(stored, 'cancel', at + this.delay(delay));
    });
    this.executorOf(record).stop(record.run.id);
    this.onScheduleChanged();
    return record.run;
  }

  async submitToolOutputs(runId: string, outputs: ToolOutput[], at = this.clock.now()): Promise<Run> {
    const record = await this.changeRun(runId, (stored, tx) =>
      this.acceptToolOutputs(tx, stored, outputs, at),
    );
    this.onScheduleChanged();
    return record.run;
  }

  private async acceptToolOutputs(
    tx: StoreTransaction,
    record: RunRecord,
    outputs: ToolOutput[],
    at: number,
  ): Promise<void> {
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
    const step = internal.toolCallsStepId ? await tx.steps.get(run.id, internal.toolCallsStepId) : null;
    const usage = internal.model?.toolCallsUsage ?? null;
    if (step)
      await tx.steps.update(completeToolCallsStep(step, outputs, seconds, internal.promptTokens, usage));
    internal.toolOutputs = outputs;
    run.status = 'queued';
    run.required_action = null;
    this.schedule(record, 'start', at + this.executorOf(record).queuedDelayMs(record));
  }

  /**
   * The run's write that ends a transition: a compare-and-set on the status it was read with. Lost (another process
   * moved the run on since), it throws `LostRace`, which rolls back the whole transition.
   */
  private async write(tx: StoreTransaction, record: RunRecord, readWithStatus: RunStatus): Promise<void> {
    if (!(await tx.runs.update(record, { expectedStatus: readWithStatus })))
      throw new LostRace(record.run.id);
  }

  /**
   * Applies, in due order, the transitions due by `upTo`: at most `limit` of them (see DUE_BATCH_SIZE), claimed in
   * the database under this instance's lease, so another instance applying what is due at once takes other runs.
   * Each transition's write ends its lease. Returns how many runs it moved (a run whose transition threw counts: it
   * was failed or set aside).
   */
  processDue(upTo = this.clock.now(), limit = DUE_BATCH_SIZE): Promise<number> {
    const { owner, leaseMs } = this.lease;
    return this.applyDue(
      (room) => this.store.runs.claimDue({ owner, upTo, limit: room, leaseMs, setAside: this.setAside }),
      limit,
    );
  }

  /** Every transition due by `upTo`, batch after batch: at start, before the server listens. */
  async processAllDue(upTo = this.clock.now()): Promise<number> {
    let applied = 0;
    for (let batch = await this.processDue(upTo); batch > 0; batch = await this.processDue(upTo))
      applied += batch;
    return applied;
  }

  /** A read of one thread first applies what is due for its runs, so its answer is as of now (bounded). */
  catchUpThread(threadId: string, upTo = this.clock.now()): Promise<number> {
    return this.applyDue(async () => {
      const due = await this.store.runs.firstDueInThread(threadId, upTo, this.setAside);
      return due ? [due] : [];
    }, THREAD_CATCH_UP_LIMIT);
  }

  /** When the next transition not set aside is due, or null (the scheduler's timer). */
  nextDueAt(): Promise<number | null> {
    return this.store.runs.nextDueAt(this.setAside);
  }

  /** Applies what `nextDue` finds (at most `room` runs a call), until `limit` are applied or none is due. */
  private async applyDue(nextDue: (room: number) => Promise<DueRun[]>, limit: number): Promise<number> {
    let applied = 0;
    while (applied < limit) {
      const batch = await nextDue(limit - applied);
      if (batch.length === 0) break;
      for (const due of batch) {
        try {
          const finish = due.transition === 'finish' ? await this.prepareFinish(due) : null;
          await this.store.transaction((tx) => this.applyIfStillDue(tx, due, finish));
        } catch (error) {
          // Lost to another writer (another instance applied it, a request changed the run): nothing to do.
          if (!(error instanceof LostRace)) await this.failBrokenRun(due, error);
        }
        applied++;
      }
    }
    if (applied > 0) this.onScheduleChanged();
    return applied;
  }

  /**
   * A due `finish`'s work that must not hold a transaction (the scripted run's search), done before it on the run as
   * claimed (the store's committed state, no lock): the transaction then checks that it still holds.
   */
  private prepareFinish(due: DueRun): Promise<FinishInTransaction> {
    const record = due.load();
    return this.executorOf(record).prepareFinish(record, Math.floor(due.dueAt / 1000), this.store);
  }

  /**
   * The due run, read again and locked inside the transaction: applied only if its schedule is still the one found
   * due (so a `finish` prepared before the transaction finds the run as it was prepared for). Another instance (or a
   * request) that got there first leaves nothing to do.
   */
  private async applyIfStillDue(
    tx: StoreTransaction,
    due: DueRun,
    finish: FinishInTransaction | null,
  ): Promise<void> {
    const record = await tx.runs.getForUpdate(due.id);
    const schedule = record?.schedule;
    if (!record || schedule?.transition !== due.transition || schedule.dueAt !== due.dueAt) return;
    await this.apply(tx, record, finish);
  }

  /**
   * A transition threw (a bug, or a row written by hand): the run fails with a server_error at the transition's due
   * time, logged once, and the scheduler goes on with the others. When even that throws (the row cannot be read),
   * the run is set aside: its schedule is cleared without reading it, and it is logged once.
   */
  private async failBrokenRun(due: DueRun, cause: unknown): Promise<void> {
    const fields = {
      runId: due.id,
      threadId: due.threadId,
      transition: due.transition,
      error: describe(cause),
    };
    try {
      await this.failRun(due);
    } catch (error) {
      if (error instanceof LostRace) return;
      fields.error = `${fields.error}; failing it: ${describe(error)}`;
      await this.setRunAside(due.id);
      this.logger.error(
        'A run record cannot be read: set aside, its transitions will not be applied',
        fields,
      );
      return;
    }
    this.logger.error('A run failed: its scheduled transition threw', fields);
  }

  /** Clears the run's schedule by id, without reading its row; in memory when even that write fails. */
  private async setRunAside(runId: string): Promise<void> {
    try {
      await this.store.runs.setAside(runId);
    } catch {
      this.setAside.add(runId);
    }
  }

  /** The run of a transition that threw fails at the transition's due time, its work with it. */
  private async failRun(due: DueRun): Promise<void> {
    await this.store.transaction(async (tx) => {
      const record = due.load();
      const before = record.run.status;
      const seconds = Math.floor(due.dueAt / 1000);
      const executor = this.executorOf(record);
      executor.stop(record.run.id);
      record.schedule = null;
      const usage = usageOrNull(() => executor.usageSoFar(record));
      await this.endWork(tx, applyFailed(record, seconds, usage), 'failed', seconds);
      await this.write(tx, record, before);
    });
  }

  private async apply(
    tx: StoreTransaction,
    record: RunRecord,
    finish: FinishInTransaction | null,
  ): Promise<void> {
    const { run, schedule } = record;
    if (!schedule) return;
    const before = run.status;
    const at = schedule.dueAt;
    const seconds = Math.floor(at / 1000);
    record.schedule = null;
    const executor = this.executorOf(record);
    switch (schedule.transition) {
      case 'start': {
        run.status = 'in_progress';
        run.started_at ??= seconds;
        const next = await executor.begin(record, at, tx);
        this.schedule(record, next.transition, next.dueAt);
        break;
      }
      case 'finish': {
        if (!finish) throw new Error(`Run ${run.id}'s finish was not prepared before its transaction`);
        const outcome = await finish(record, seconds, tx);
        if (outcome.finishAgainAfterMs !== undefined)
          this.schedule(record, 'finish', at + Math.max(1, outcome.finishAgainAfterMs));
        else await this.writeOutcome(tx, record, outcome, seconds);
        break;
      }
      case 'expire':
        executor.stop(run.id);
        await this.endWork(tx, applyExpired(record, executor.usageSoFar(record)), 'expired', seconds);
        break;
      case 'cancel':
        await this.endWork(
          tx,
          applyCancelled(record, seconds, executor.usageSoFar(record)),
          'cancelled',
          seconds,
        );
        break;
    }
    await this.write(tx, record, before);
  }

  /**
   * A thread is about to be deleted: the work of its active run (a model call) stops first. Only the model executor
   * has work between transitions, and stopping it needs only the id (the row may be broken: deleting is the cure).
   */
  async stopActiveWork(threadId: string): Promise<void> {
    const active = await this.store.runs.activeRunId(threadId);
    if (active) this.model?.stop(active);
  }

  /**
   * Writes a reply in the order OpenAI streams it: the step, then its message, each first in_progress (the message
   * still empty), then the message's text and status, then the step's. Streams read these writes off the event seam.
   */
  private async writeReply(tx: StoreTransaction, { step, message }: Reply): Promise<void> {
    await tx.steps.insert(startedStep(step));
    await tx.messages.insert(startedMessage(message));
    await tx.messages.update(message);
    await tx.steps.update(step);
  }

  /**
   * Settles an in_progress run whose work finished on its own (the model executor): `produce` mutates the record's
   * run and returns what to write, in one transaction. Does nothing, and returns false, when the run is no longer
   * in_progress (cancelled or expired meanwhile, here or in another process) or another instance holds its lease.
   */
  async settle(runId: string, produce: (record: RunRecord, seconds: number) => Outcome): Promise<boolean> {
    const at = this.clock.now();
    const seconds = Math.floor(at / 1000);
    let settled: boolean;
    try {
      settled = await this.store.transaction(async (tx) => {
        const record = await tx.runs.getForUpdate(runId);
        if (!record || record.run.status !== 'in_progress') return false;
        // Written only under the model call's lease: an instance whose lease expired and was taken over writes nothing.
        const { owner, leaseMs } = this.lease;
        if ((await tx.runs.holdLeases(owner, [runId], leaseMs)).length === 0) return false;
        record.schedule = null;
        await this.writeOutcome(tx, record, produce(record, seconds), seconds);
        await this.write(tx, record, 'in_progress');
        return true;
      });
    } catch (error) {
      if (error instanceof LostRace) return false;
      throw error;
    }
    if (settled) this.onScheduleChanged();
    return settled;
  }

  /**
   * In OpenAI's order: a streamed message and its step end, a file_search step is written (it ran before the
   * answer), a reply is written, then a tool_calls step starts.
   */
  private async writeOutcome(
    tx: StoreTransaction,
    record: RunRecord,
    outcome: Outcome,
    seconds: number,
  ): Promise<void> {
    if (outcome.ended) {
      await tx.messages.update(outcome.ended.message);
      await tx.steps.update(outcome.ended.step);
    }
    if (outcome.searchStep) await tx.steps.insert(outcome.searchStep);
    if (outcome.reply) await this.writeReply(tx, outcome.reply);
    if (outcome.toolCallsStep) await tx.steps.insert(outcome.toolCallsStep);
    // Waiting for outputs, or searched and about to call the model again: either way it expires at expires_at.
    if (record.run.status === 'requires_action' || record.run.status === 'in_progress')
      this.schedule(record, 'expire', (record.run.expires_at ?? seconds) * 1000);
  }

  /** A run cancelled, expired or failed: its steps and any message still being written end with it. */
  private async endWork(
    tx: StoreTransaction,
    runId: string,
    status: 'expired' | 'cancelled' | 'failed',
    seconds: number,
  ): Promise<void> {
    for (const step of await tx.steps.ofRun(runId)) {
      if (step.status !== 'in_progress') continue;
      step.status = status;
      if (status === 'expired') step.expired_at = seconds;
      else if (status === 'cancelled') step.cancelled_at = seconds;
      else {
        step.failed_at = seconds;
        step.last_error = { code: 'server_error', message: FAILURE_MESSAGES.server_error };
      }
      await tx.steps.update(step);
      if (step.step_details.type !== 'message_creation') continue;
      const message = await tx.messages.get(step.thread_id, step.step_details.message_creation.message_id);
      if (message?.status !== 'in_progress') continue;
      message.status = 'incomplete';
      message.incomplete_at = seconds;
      message.incomplete_details = { reason: INCOMPLETE_REASONS[status] };
      await tx.messages.update(message);
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

/**
 * A transition's compare-and-set found the run moved on by another writer: the transition rolls back, and the
 * lifecycle treats it as done by someone else (a no-op, not an error).
 */
export class LostRace extends Error {
  constructor(readonly runId: string) {
    super(`Run ${runId} was changed by another writer meanwhile`);
    this.name = 'LostRace';
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
    if (call.type !== 'function') continue;
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

import type { Message, Run, RunStep, RunToolCall, Usage } from '../../shared/openai-types';
import type { ModelCall, ModelCallOutcome } from '../../shared/runboard-types';
import type { Logger } from '../../platform/logger';
import { badRequest } from '../api-error';
import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { InstanceLease } from '../lifecycle/instance-lease';
import type { FinishInTransaction, Outcome, RunExecutor } from '../lifecycle/run-executor';
import { usageOf } from '../lifecycle/wire-objects';
import type { AssistantsStore, StoreTransaction } from '../store/assistants-store';
import type { RunRecord, Schedule } from '../store/run-record';
import { abortableSleep, callWithRetries, SERVER_ERROR_MESSAGE } from './call-with-retries';
import { untilProcessed } from '../run-search/store-readiness';
import { attemptChatCompletion, type AttemptResult } from './chat-client';
import { prepareChatRequest, UNSUPPORTED_TOOL_TYPES } from './chat-request';
import type { ChatCompletionRequest } from './chat-types';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { buildConversation, conversationWindow } from './conversation';
import { GrowingMessage, LeaseLostError } from './growing-message';
import { maskSecret } from '../../platform/secret-mask';
import { upstreamModelFor, type ModelExecutorSettings } from './model-settings';
import { turnOutcome, type TurnEnd, type TurnSearches } from './model-outcome';
import type { FileSearch } from '../file-search/file-search';
import type { FileSearchCall } from '../run-search/run-file-search';
import { fileSearchCallsOf, searchFiles } from '../run-search/run-file-search';
import { openRunStores } from '../run-search/run-vector-stores';
import { searchSettingsOf, type SearchSettings } from '../run-search/search-settings';
import type { Completion } from './completion-accumulator';
import { MAX_SEARCH_TURNS, searchQueries, searchToolName } from './search-tool';

/** Settles an in_progress run in one transaction (the lifecycle's `settle`). */
export type RunSettler = (
  runId: string,
  produce: (record: RunRecord, seconds: number) => Outcome,
) => Promise<boolean>;

const DEFAULT_FLUSH_MS = 50;
/** How long a stop waits for the aborted calls' jobs to end before it releases their leases anyway. */
const CLOSE_WAIT_MS = 5_000;

/**
 * Runs executed by a model behind an OpenAI-compatible chat-completions endpoint. A run that goes in_progress is
 * handed to a job after its transaction commits; the job waits for a slot (`concurrency`, per instance), takes the
 * run's lease, builds the request from the stored thread, streams the answer into a growing message, and settles the
 * run through the lifecycle (which writes only while the lease is held). No model call happens inside a transaction
 * or on a request's path. Cancel and expiry abort the job's call at once, in this instance; a lease found lost at a
 * renewal (the run moved on in another instance, or was taken over) aborts it too.
 *
 * Several instances on one database: a model call happens once because it runs under the run's lease. An instance
 * that dies stops renewing; after the lease expires another instance claims the run (`claimUnattended`) and calls
 * the model again from what is stored (the unfinished message is cleared and rewritten, as after a restart).
 */
export class LlmExecutor implements RunExecutor {
  readonly kind = 'model' as const;
  private readonly jobs = new Map<string, AbortController>();
  private readonly limiter: ConcurrencyLimiter;
  /** Runs whose lease this instance holds for a model call in progress. */
  private readonly held = new Set<string>();
  /** Every job still running (`close` waits for them). */
  private readonly running = new Set<Promise<void>>();
  private renewTimer: NodeJS.Timeout | null = null;
  private claiming = false;
  private closed = false;

  constructor(
    private readonly settings: ModelExecutorSettings,
    private readonly store: AssistantsStore,
    private readonly clock: EmulatorClock,
    private readonly logger: Logger,
    /** What the run's file_search calls search. */
    private readonly fileSearch: FileSearch,
    private readonly settle: RunSettler,
    /** The lease each model call holds, renewed every third of its length while the call runs. */
    private readonly lease: InstanceLease,
  ) {
    this.limiter = new ConcurrencyLimiter(settings.concurrency);
    // A run this instance calls the model for, moved on by another instance (cancelled there): stop at once.
    store.events.subscribe(({ event }) => {
      if (event.object === 'run' && event.run.status !== 'in_progress') this.stop(event.run.id);
    });
  }

  plan(run: Run): RunToolCall[] {
    const choice = run.tool_choice;
    if (
      typeof choice === 'object' &&
      choice !== null &&
      (UNSUPPORTED_TOOL_TYPES as readonly string[]).includes(choice.type)
    ) {
      throw badRequest(
        `Invalid 'tool_choice': runs executed by a model cannot call '${choice.type}' (function tools and file_search are sent to the model).`,
        'tool_choice',
        'invalid_value',
      );
    }
    return [];
  }

  queuedDelayMs(): number {
    return 0;
  }

  begin(record: RunRecord, at: number, tx: StoreTransaction): Promise<Schedule> {
    const { run, internal } = record;
    internal.model ??= {
      upstreamModel: upstreamModelFor(run.model, this.settings.modelMap),
      usage: usageOf(0, 0),
      turns: 0,
      toolCallsUsage: null,
    };
    // Once the transaction that started the run has committed (never for one that rolls back).
    tx.afterCommit(() => setImmediate(() => this.dispatch(run.id)));
    return Promise.resolve({ transition: 'expire', dueAt: (run.expires_at ?? Math.floor(at / 1000)) * 1000 });
  }

  prepareFinish(): Promise<FinishInTransaction> {
    return Promise.reject(new Error('A run executed by a model has no scheduled finish.'));
  }

  stop(runId: string): void {
    this.jobs.get(runId)?.abort(new Error('The run ended.'));
  }

  usageSoFar(record: RunRecord): Usage {
    return record.internal.model?.usage ?? usageOf(0, 0);
  }

  /**
   * At start: runs whose model call was cut off by a stop are executed again (at least once). Returns how many. On a
   * shared database, only the runs nobody calls (their lease expired or was released); the others are looked for
   * regularly from then on (`claimUnattended`, called by the instance's poll).
   */
  async resume(): Promise<number> {
    const key = this.settings.endpoint.apiKey;
    if (key)
      await this.store.transaction((tx) => tx.modelCalls.maskErrors((error) => maskSecret(error, key)));
    if (this.store.shared) return this.claimUnattended();
    await this.store.modelCalls.markInterrupted();
    let resumed = 0;
    for (const record of await this.store.runs.inProgress()) {
      if (record.internal.executor !== 'model') continue;
      this.dispatch(record.run.id);
      resumed++;
    }
    return resumed;
  }

  /**
   * Takes the model runs nobody calls, as many as this instance has free slots for: their calls recorded in flight
   * are marked interrupted (their instance is gone) and each is executed again. Returns how many it took.
   */
  async claimUnattended(): Promise<number> {
    const room = this.limiter.limit - this.limiter.active - this.limiter.queued;
    if (this.closed || this.claiming || room <= 0) return 0;
    this.claiming = true;
    try {
      const { owner, leaseMs } = this.lease;
      const ids = await this.store.runs.claimUnattended({
        owner,
        limit: Math.min(room, MAX_UNATTENDED_CLAIM),
        leaseMs,
        exclude: [...this.jobs.keys()],
      });
      for (const runId of ids) {
        await this.store.modelCalls.markInterrupted(runId);
        this.logger.info('A model run nobody was calling is taken over', { runId });
        this.dispatch(runId);
      }
      return ids.length;
    } finally {
      this.claiming = false;
    }
  }

  /** Model calls running, and runs waiting for a slot. */
  load(): { active: number; queued: number } {
    return { active: this.limiter.active, queued: this.limiter.queued };
  }

  /**
   * The server stops: no more runs are taken and every call is aborted. Resolves once their jobs have ended (at most
   * `waitMs`): a write a job had in flight lands before the caller releases the runs' leases, never after another
   * instance took a run over (a second assistant message). Their runs are executed again by another instance once the
   * leases are released (alone on the database: at the next start).
   */
  close(waitMs = CLOSE_WAIT_MS): Promise<void> {
    this.closed = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.held.clear();
    for (const job of this.jobs.values()) job.abort(new Error('The server is stopping.'));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    return Promise.race([Promise.allSettled(this.running).then(() => undefined), waited]).finally(() =>
      clearTimeout(timer),
    );
  }

  private dispatch(runId: string): void {
    if (this.closed || this.jobs.has(runId)) return;
    const controller = new AbortController();
    this.jobs.set(runId, controller);
    const job = this.execute(runId, controller.signal)
      .catch((error: unknown) => {
        if (!this.closed)
          this.logger.error('A model run failed unexpectedly', { runId, error: this.describe(error) });
      })
      .finally(() => {
        if (this.jobs.get(runId) === controller) this.jobs.delete(runId);
        this.running.delete(job);
      });
    this.running.add(job);
  }

  private async execute(runId: string, signal: AbortSignal): Promise<void> {
    let release: () => void;
    try {
      release = await this.limiter.acquire(signal);
    } catch {
      return;
    }
    try {
      // Another instance took the run meanwhile (it waited here for a slot), or it moved on: nothing to do.
      if (!(await this.hold(runId)) || signal.aborted) return;
      // A turn that only searched leaves the run in_progress: the model is called again with the results
      // (at most MAX_SEARCH_TURNS such turns, then the search is no longer offered).
      while (await this.executeTurn(runId, signal));
    } catch (error) {
      // Before the call (reading the thread, building the request): the run fails rather than wait for expiry.
      if (signal.aborted || this.closed) throw error;
      await this.failTurn(runId, error, null);
    } finally {
      this.held.delete(runId);
      release();
      // A slot is free: on a shared database, the runs other instances left wait for one.
      if (this.store.shared)
        void this.claimUnattended().catch((error: unknown) =>
          this.logger.warn('Could not take the model runs other instances left', {
            error: error instanceof Error ? error.message : String(error),
          }),
        );
    }
  }

  /** Takes the run's lease for its model call, renewed until the call ends. False: someone else holds it. */
  private async hold(runId: string): Promise<boolean> {
    const { owner, leaseMs } = this.lease;
    const held = await this.store.runs.holdLeases(owner, [runId], leaseMs);
    if (held.length === 0) return false;
    this.held.add(runId);
    this.renewTimer ??= setInterval(() => void this.renew(), Math.max(1, Math.floor(leaseMs / 3)));
    this.renewTimer.unref();
    return true;
  }

  /** Renews every lease held in one statement; a call whose lease is lost stops (the run moved on or was taken). */
  private async renew(): Promise<void> {
    const asked = [...this.held];
    if (asked.length === 0) {
      if (this.renewTimer) clearInterval(this.renewTimer);
      this.renewTimer = null;
      return;
    }
    const { owner, leaseMs } = this.lease;
    let kept: Set<string>;
    try {
      kept = new Set(await this.store.runs.holdLeases(owner, asked, leaseMs));
    } catch (error) {
      this.logger.warn('Model call leases not renewed', { error: this.describe(error) });
      return;
    }
    for (const runId of asked) if (!kept.has(runId)) this.leaseLost(runId);
  }

  /** The run's lease was found lost (the run moved on, or another instance took it over): its call stops. */
  private leaseLost(runId: string): void {
    if (!this.held.delete(runId)) return;
    this.logger.warn("A model call lost its run's lease: stopped", { runId });
    this.jobs.get(runId)?.abort(new Error("The run's lease was lost."));
  }

  /**
   * Whether this instance still holds the run's lease, renewed (a growing message's write asks in its transaction).
   * A run no longer held here (the server is stopping: its leases are being released) is not taken again.
   */
  private async stillHolds(tx: StoreTransaction, runId: string): Promise<boolean> {
    if (!this.held.has(runId)) return false;
    const { owner, leaseMs } = this.lease;
    return (await tx.runs.holdLeases(owner, [runId], leaseMs)).length > 0;
  }

  /** One model call and what follows from it; true when the run searched and wants the model again. */
  private async executeTurn(runId: string, signal: AbortSignal): Promise<boolean> {
    const record = await this.store.runs.get(runId);
    if (!record || record.run.status !== 'in_progress' || !record.internal.model || signal.aborted)
      return false;
    const { run } = record;
    const state = record.internal.model;
    const steps = await this.store.steps.ofRun(run.id);
    const messages = await this.store.messages.inThread(run.thread_id);
    const window = conversationWindow(messages, run.truncation_strategy);
    const stepsByRun = await this.stepsOfRuns(window, new Map([[run.id, steps]]));
    const searchSettings = searchSettingsOf(run);
    const searchName = searchSettings ? searchToolName(run) : null;
    const searchTurns = state.searchTurns ?? 0;
    const conversation = buildConversation(
      run.id,
      { messages, stepsOf: (id) => stepsByRun.get(id) ?? [] },
      run.truncation_strategy,
      searchName,
    );
    const prepared = prepareChatRequest(run, conversation, {
      model: state.upstreamModel,
      used: { prompt: state.usage.prompt_tokens, completion: state.usage.completion_tokens },
      search: searchName
        ? { name: searchName, offered: searchTurns < MAX_SEARCH_TURNS, searchedBefore: searchTurns > 0 }
        : null,
    });
    if (!prepared.ok) {
      await this.finishTurn(
        runId,
        { ok: false, aborted: false, incomplete: prepared.reason },
        null,
        0,
        new Set(),
      );
      return false;
    }

    const unfinished = steps.find(
      (step) => step.status === 'in_progress' && step.step_details.type === 'message_creation',
    );
    const unfinishedMessage =
      unfinished?.step_details.type === 'message_creation'
        ? await this.store.messages.get(run.thread_id, unfinished.step_details.message_creation.message_id)
        : null;
    const wanted = () => !signal.aborted && !this.closed;
    // Aborted by a write that failed: the call stops and the run fails below.
    const broken = new AbortController();
    const callSignal = AbortSignal.any([signal, broken.signal]);
    let message: GrowingMessage | null = null;
    const turn = state.turns + 1;
    const usedCallIds = new Set(
      steps.flatMap((step) =>
        step.step_details.type === 'tool_calls' ? step.step_details.tool_calls.map((call) => call.id) : [],
      ),
    );
    try {
      message = new GrowingMessage(
        this.store,
        run,
        {
          seconds: () => Math.floor(this.clock.now() / 1000),
          flushMs: this.settings.flushIntervalMs ?? DEFAULT_FLUSH_MS,
          stillWanted: wanted,
          holdsRun: (tx) => this.stillHolds(tx, run.id),
          // A lost lease stops the job (its signal): the run is the new owner's, nothing is failed here.
          onFailure: (error) =>
            error instanceof LeaseLostError ? this.leaseLost(run.id) : broken.abort(error),
        },
        unfinished && unfinishedMessage ? { message: unfinishedMessage, step: unfinished } : null,
      );
      await message.clearInterrupted();
      const growing = message;
      const end = await callWithRetries(
        (attempt) => this.attempt(run.id, prepared.request, { turn, attempt }, callSignal, growing),
        {
          policy: this.settings.retry,
          signal: callSignal,
          deadlineMs: (run.expires_at ?? Infinity) * 1000,
          now: () => this.clock.now(),
        },
      );
      await message.flush();
      if ('aborted' in end && end.aborted) return false;
      if (!wanted()) return false;
      let ended = end as Exclude<TurnEnd, { aborted: true }>;
      let searches: TurnSearches = { done: new Map(), citable: fileSearchCallsOf(steps) };
      if (ended.ok && searchSettings && searchName) {
        const searched = await this.search(run, ended.completion, searchName, searchSettings, {
          offered: searchTurns < MAX_SEARCH_TURNS,
          signal: callSignal,
        });
        if (searched instanceof Map) searches = { ...searches, done: searched };
        else ended = searched;
      }
      if (!wanted()) return false;
      return await this.finishTurn(runId, ended, message, prepared.promptEstimate, usedCallIds, searches);
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.leaseLost(runId);
        return false;
      }
      if (!wanted()) throw error;
      await this.failTurn(runId, error, message);
      return false;
    } finally {
      message?.dispose();
    }
  }

  /**
   * Runs the answer's calls of the search tool, one after the other, in the run's vector stores (read now: the
   * thread's and the assistant's), once their files are processed (at most a minute's wait). A call whose arguments are not queries runs no search (its answer tells the
   * model how to call it). A search after the run's last search turn fails the run instead: the tool was no longer
   * offered, and a model that calls it anyway would search for ever.
   */
  private async search(
    run: Run,
    completion: Completion,
    searchName: string,
    settings: SearchSettings,
    options: { offered: boolean; signal: AbortSignal },
  ): Promise<Map<number, FileSearchCall> | Exclude<TurnEnd, { ok: true } | { aborted: true }>> {
    const done = new Map<number, FileSearchCall>();
    const finish = completion.finishReason;
    if (finish === 'length' || finish === 'content_filter') return done;
    const wanted = completion.toolCalls.flatMap((call, index) =>
      call.function.name === searchName ? [{ call, index }] : [],
    );
    if (wanted.length === 0) return done;
    if (!options.offered) {
      return {
        ok: false,
        aborted: false,
        code: 'server_error',
        message: `The model called ${searchName} again after ${MAX_SEARCH_TURNS} turns of searching; it was no longer offered.`,
      };
    }
    // The stores are made active; one that has expired fails the run, as OpenAI's did.
    const stores = await this.store.transaction((tx) =>
      openRunStores(tx, run, Math.floor(this.clock.now() / 1000)),
    );
    if (!stores.ok) return { ok: false, aborted: false, code: 'server_error', message: stores.message };
    const { storeIds } = stores;
    // Files attached just before the run may still be processed: the search waits for them (bounded).
    await untilProcessed(this.store, storeIds, { signal: options.signal, sleep: abortableSleep });
    for (const { call, index } of wanted) {
      const queries = searchQueries(call.function.arguments) ?? [];
      done.set(
        index,
        await searchFiles(this.fileSearch, this.store, storeIds, queries, settings, {
          signal: options.signal,
        }),
      );
    }
    return done;
  }

  /** `known`, and the steps of each other run that wrote one of `messages` (what the conversation shows of it). */
  private async stepsOfRuns(
    messages: Message[],
    known: Map<string, RunStep[]>,
  ): Promise<Map<string, RunStep[]>> {
    for (const { run_id: runId } of messages) {
      if (runId !== null && !known.has(runId)) known.set(runId, await this.store.steps.ofRun(runId));
    }
    return known;
  }

  /**
   * Something threw while the turn was executed (a write of the growing message, settling the run): the run fails
   * with server_error, logged once with its id, instead of staying in_progress until it expires.
   */
  private async failTurn(runId: string, error: unknown, message: GrowingMessage | null): Promise<void> {
    this.logger.error('A model run failed unexpectedly', { runId, error: this.describe(error) });
    try {
      await this.finishTurn(
        runId,
        { ok: false, aborted: false, code: 'server_error', message: SERVER_ERROR_MESSAGE },
        message,
        0,
        new Set(),
      );
    } catch (settleError) {
      this.logger.error('A model run could not be failed', { runId, error: this.describe(settleError) });
    }
  }

  /** An error's message for a log line, with the model key masked. */
  private describe(error: unknown): string {
    return maskSecret(error instanceof Error ? error.message : String(error), this.settings.endpoint.apiKey);
  }

  /** Settles the turn; true when the run is still in_progress after it (it searched: the model is called again). */
  private async finishTurn(
    runId: string,
    end: Exclude<TurnEnd, { aborted: true }>,
    message: GrowingMessage | null,
    promptEstimate: number,
    usedCallIds: ReadonlySet<string>,
    searches?: TurnSearches,
  ): Promise<boolean> {
    if (this.closed) return false;
    let again = false;
    const settled = await this.settle(runId, (record, seconds) => {
      const outcome = turnOutcome(
        record,
        seconds,
        end,
        message?.written() ?? null,
        promptEstimate,
        usedCallIds,
        searches,
      );
      again = record.run.status === 'in_progress';
      return outcome;
    });
    return settled && again;
  }

  private async attempt(
    runId: string,
    request: ChatCompletionRequest,
    position: { turn: number; attempt: number },
    signal: AbortSignal,
    message: GrowingMessage,
  ): Promise<AttemptResult> {
    const call = await this.store.modelCalls.begin({
      run_id: runId,
      ...position,
      model: request.model,
      started_at_ms: Date.now(),
      latency_ms: null,
      first_token_ms: null,
      outcome: 'in_flight',
      http_status: null,
      prompt_tokens: null,
      completion_tokens: null,
      error: null,
    });
    const result = await attemptChatCompletion(this.settings.endpoint, request, {
      signal,
      onText: (text) => message.append(text),
    });
    if (this.closed) return result;
    const ended: ModelCall = {
      ...call,
      latency_ms: Date.now() - call.started_at_ms,
      http_status: result.status,
    };
    if (result.ok) {
      ended.first_token_ms = result.firstTokenMs;
      ended.outcome = answeredOutcome(result.completion.finishReason, result.completion.toolCalls.length > 0);
      ended.prompt_tokens = result.completion.usage?.prompt_tokens ?? null;
      ended.completion_tokens = result.completion.usage?.completion_tokens ?? null;
    } else {
      ended.outcome = failedOutcome(result.failure);
      ended.error = 'message' in result.failure ? result.failure.message : null;
      if (result.failure.kind !== 'aborted') {
        this.logger.warn('Model call failed', {
          runId,
          turn: position.turn,
          attempt: position.attempt,
          outcome: ended.outcome,
          status: result.status ?? undefined,
        });
      }
    }
    await this.store.modelCalls.end(ended);
    return result;
  }
}

/** The most model runs one look takes over at once. */
const MAX_UNATTENDED_CLAIM = 100;

function answeredOutcome(finish: string | null, toolCalls: boolean): ModelCallOutcome {
  if (finish === 'length') return 'length';
  if (finish === 'content_filter') return 'content_filter';
  return toolCalls ? 'tool_calls' : 'answered';
}

function failedOutcome(failure: Extract<AttemptResult, { ok: false }>['failure']): ModelCallOutcome {
  switch (failure.kind) {
    case 'rate_limited':
      return 'rate_limited';
    case 'invalid_prompt':
      return 'invalid_prompt';
    case 'refused':
      return 'refused';
    case 'aborted':
      return 'aborted';
    case 'unavailable':
      return failure.reason === 'timeout'
        ? 'timeout'
        : failure.reason === 'unreachable'
          ? 'unreachable'
          : 'unavailable';
  }
}

import type { Run, RunToolCall, Usage } from '../../../shared/openai-types';
import type { StoreTables, StoreTransaction } from '../../store/assistants-store';
import type { RunRecord, Schedule } from '../../store/run-record';
import { promptTokens } from '../../lifecycle/replies';
import type { FinishInTransaction, Outcome, RunExecutor } from '../../lifecycle/run-executor';
import { applyFailed, applyOutcome, scriptedUsageSoFar } from '../../lifecycle/run-outcomes';
import { usageOf } from '../../lifecycle/wire-objects';
import { DELAYS_MS, scaled } from '../../lifecycle/timings';
import { planToolCalls } from './tool-plan';
import type { FileSearch } from '../../file-search/file-search';
import { scriptedSearch, searchBeforeFinish, type SearchedBefore } from './scripted-search';

/** How soon a run whose vector stores are still processed looks again (scaled like the other delays). */
const READINESS_RECHECK_MS = 500;

/**
 * Today's deterministic runs: each state lasts a scaled delay, the scenario trigger decides failures, function tools
 * get sample arguments, and the reply is canned (see src/assistants-server/README.md, "Run lifecycle").
 */
export class ScriptedExecutor implements RunExecutor {
  readonly kind = 'scripted' as const;

  constructor(
    private readonly settings: { timeScale: number },
    /** Searched by runs with `file_search` (null: they search nothing). */
    private readonly fileSearch: FileSearch | null = null,
  ) {}

  plan(run: Run): RunToolCall[] {
    return planToolCalls(run);
  }

  queuedDelayMs(): number {
    return this.delay(DELAYS_MS.queuedToInProgress);
  }

  async begin(record: RunRecord, at: number, tx: StoreTransaction): Promise<Schedule> {
    const { run, internal } = record;
    const firstStart = internal.toolOutputs === null;
    if (firstStart) {
      internal.promptTokens = promptTokens(
        run.instructions,
        await tx.messages.inThread(run.thread_id),
        run.tools,
      );
    }
    if (firstStart && internal.scenario === 'expire') {
      return { transition: 'expire', dueAt: (run.expires_at ?? at / 1000) * 1000 };
    }
    const slow = firstStart && internal.scenario === 'slow';
    return {
      transition: 'finish',
      dueAt: at + this.delay(slow ? DELAYS_MS.slowInProgress : DELAYS_MS.inProgressToOutcome),
    };
  }

  /** The run's file search is done here, before the transaction (`searchBeforeFinish`); the rest in it. */
  async prepareFinish(record: RunRecord, seconds: number, tables: StoreTables): Promise<FinishInTransaction> {
    const searched = await searchBeforeFinish(this.fileSearch, record, tables, seconds);
    return (current, at, tx) => this.finish(current, at, tx, searched);
  }

  private async finish(
    record: RunRecord,
    seconds: number,
    tx: StoreTransaction,
    searched: SearchedBefore | null,
  ): Promise<Outcome> {
    const assistantName = (await tx.assistants.get(record.run.assistant_id))?.name ?? null;
    const conversation = await tx.messages.inThread(record.run.thread_id);
    const search = await scriptedSearch(this.fileSearch, record, conversation, tx, seconds, searched);
    if (search === 'not_ready' || search === 'search_again')
      return {
        toolCallsStep: null,
        reply: null,
        // Searched again at once (the next due pass searches before its transaction), or after a pause.
        finishAgainAfterMs: search === 'search_again' ? 0 : this.delay(READINESS_RECHECK_MS),
      };
    if (search && 'failed' in search) {
      applyFailed(record, seconds, usageOf(record.internal.promptTokens, 0), search.failed);
      return { toolCallsStep: null, reply: null };
    }
    return applyOutcome(record, seconds, assistantName, conversation, search);
  }

  stop(): void {
    // Nothing runs between transitions.
  }

  usageSoFar(record: RunRecord): Usage {
    return scriptedUsageSoFar(record);
  }

  private delay(baseMs: number): number {
    return scaled(baseMs, this.settings.timeScale);
  }
}

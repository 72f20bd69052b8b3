import type { Message, RunStep } from '../../shared/openai-types';
import { assistantMessage, newStep, textContent } from '../lifecycle/wire-objects';
import type { AssistantsStore, StoreTransaction } from '../store/assistants-store';

export interface RunIds {
  id: string;
  thread_id: string;
  assistant_id: string;
}

/** What a growing message asks of its executor. */
export interface GrowingMessageHooks {
  /** The emulator's time in seconds: the message's and step's `created_at`. */
  seconds: () => number;
  /** How often the text that arrived is written (ms). */
  flushMs: number;
  /** False once the run has ended here (cancelled, expired, the server stopping): nothing more is written. */
  stillWanted: () => boolean;
  /**
   * Whether this instance still holds the run's lease, asked first in each write's transaction (it takes the run's
   * row lock, so a take-over waits for the write or the write sees it). False: the write is rolled back and
   * `LeaseLostError` thrown. Several instances on one database: one whose lease expired and was taken over mid-stream
   * would otherwise append to a message the new owner writes again.
   */
  holdsRun: (tx: StoreTransaction) => Promise<boolean>;
  /** Called once when a write made while the answer streams throws (from a timer it would end the process). */
  onFailure: (error: unknown) => void;
}

/** A write found the run's lease held by another instance (or the run moved on): nothing was written. */
export class LeaseLostError extends Error {
  constructor(runId: string) {
    super(`The run ${runId} is no longer held by this instance: its lease was lost.`);
    this.name = 'LeaseLostError';
  }
}

/**
 * The assistant message of a model call, written while the answer streams in: on the first text, a
 * `message_creation` step and an `in_progress` message; then the text appended at most every `flushMs`, each growth
 * one message update carrying the appended text (pollers read it; streams send it as `thread.message.delta`).
 * Nothing is written once `stillWanted` says the run has ended (cancelled, expired), nor without the run's lease.
 */
export class GrowingMessage {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  /** The first text's write was started (it creates the step and the message): later text waits for the timer. */
  private started: boolean;
  /** Writes happen one after the other: the first creates the message the next ones grow. */
  private writing: Promise<void> = Promise.resolve();
  /** What made a timed write throw: nothing more is written, and the executor fails the run with it. */
  failure: unknown = null;

  constructor(
    private readonly store: AssistantsStore,
    private readonly run: RunIds,
    private readonly hooks: GrowingMessageHooks,
    /** A message left in_progress by an answer the server stopped during: it is written again from the start. */
    private current: { message: Message; step: RunStep } | null = null,
  ) {
    this.started = current !== null;
  }

  /** Before the call: a message left by an answer the server stopped during is emptied, to be written again. */
  async clearInterrupted(): Promise<void> {
    const current = this.current;
    if (!current || textOf(current.message) === '' || !this.hooks.stillWanted()) return;
    current.message.content = textContent('');
    await this.store.transaction(async (tx) => {
      await this.checkHeld(tx);
      await tx.messages.update(current.message);
    });
  }

  append(text: string): void {
    if (!text || this.failure !== null) return;
    this.pending += text;
    // Called from the stream reader and from a timer: a write that throws is reported, never thrown there.
    if (!this.started) {
      this.started = true;
      void this.flushReportingFailure();
    } else this.timer ??= setTimeout(() => void this.flushReportingFailure(), this.hooks.flushMs);
  }

  /**
   * Writes what has arrived since the last write (taken now), after the writes before it; resolves once all are
   * written. Rejects with what a timed write threw.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.failure !== null) return Promise.reject(this.failure as Error);
    if (!this.pending || !this.hooks.stillWanted()) return this.writing;
    const appended = this.pending;
    this.pending = '';
    const written = this.writing.then(() => this.write(appended));
    this.writing = written.catch(() => undefined);
    return written;
  }

  private async write(appended: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.checkHeld(tx);
      if (this.current === null) this.current = await this.start(tx);
      const { message } = this.current;
      message.content = textContent(textOf(message) + appended);
      await tx.messages.appendText(message, appended);
    });
  }

  private async flushReportingFailure(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      if (this.failure !== null) return;
      this.failure = error;
      this.hooks.onFailure(error);
    }
  }

  private async checkHeld(tx: StoreTransaction): Promise<void> {
    if (!(await this.hooks.holdsRun(tx))) throw new LeaseLostError(this.run.id);
  }

  /** The message and its step, once the first text arrived. */
  written(): { message: Message; step: RunStep } | null {
    return this.current;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async start(tx: StoreTransaction): Promise<{ message: Message; step: RunStep }> {
    const at = this.hooks.seconds();
    const message = assistantMessage(this.run.thread_id, this.run.id, this.run.assistant_id, '', at);
    message.status = 'in_progress';
    message.completed_at = null;
    const step = newStep(
      { threadId: this.run.thread_id, runId: this.run.id, assistantId: this.run.assistant_id, createdAt: at },
      { type: 'message_creation', message_creation: { message_id: message.id } },
    );
    await tx.steps.insert(step);
    await tx.messages.insert(message);
    return { message, step };
  }
}

function textOf(message: Message): string {
  return message.content.map((part) => part.text.value).join('');
}

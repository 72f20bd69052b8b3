import { LifecycleEvents } from '../events/lifecycle-events';
import { AssistantStore } from './assistant-store';
import { openDatabase, type Db } from './database';
import { MessageStore } from './message-store';
import { IndexedWrites } from './indexed-writes';
import { ModelCallStore } from './model-call-store';
import { RunStore } from './run-store';
import { SettingsStore } from './settings-store';
import { StepStore } from './step-store';
import type { StoreIndexFactory } from './store-index';
import { ThreadStore } from './thread-store';

/** All of the emulator's tables behind one handle; `transaction` makes a multi-table change atomic. */
export class AssistantsStore {
  readonly assistants: AssistantStore;
  readonly threads: ThreadStore;
  readonly messages: MessageStore;
  readonly runs: RunStore;
  readonly steps: StepStore;
  readonly settings: SettingsStore;
  readonly modelCalls: ModelCallStore;
  /** Every write of an assistant, thread, run, step or message, published after it commits. */
  readonly events: LifecycleEvents;
  private readonly db: Db;

  /**
   * `index` keeps what the query API reads in this database, updated by every run and thread write in its own
   * transaction (built once, when it opens on data it does not reflect yet).
   */
  constructor(path: string, onListenerError?: (error: unknown) => void, index?: StoreIndexFactory) {
    this.db = openDatabase(path);
    this.events = new LifecycleEvents(onListenerError);
    const writes = new IndexedWrites(this.db, this.events);
    this.assistants = new AssistantStore(this.db, this.events);
    this.threads = new ThreadStore(this.db, writes);
    this.messages = new MessageStore(this.db, writes);
    this.runs = new RunStore(this.db, writes);
    this.steps = new StepStore(this.db, this.events);
    this.settings = new SettingsStore(this.db);
    this.modelCalls = new ModelCallStore(this.db);
    if (index) {
      writes.index = index({
        db: this.db,
        afterCommit: (callback) => this.events.afterCommit(callback),
        stored: {
          threads: () => this.threads.allThreads(),
          runs: () => this.runs.allRuns(),
          runCount: () => this.runs.count(),
          run: (runId) => this.runs.get(runId)?.run ?? null,
          runMessages: (run) => this.messages.aroundRun(run),
        },
      });
    }
  }

  transaction<T>(work: () => T): T {
    return this.events.withinTransaction(() => this.db.transaction(work)());
  }

  isEmpty(): boolean {
    return this.assistants.oldest() === null && this.threads.count() === 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

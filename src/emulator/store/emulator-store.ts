import { AssistantStore } from './assistant-store';
import { openDatabase, type Db } from './database';
import { MessageStore } from './message-store';
import { RunStore } from './run-store';
import { SettingsStore } from './settings-store';
import { StepStore } from './step-store';
import { ThreadStore } from './thread-store';

/** All of the emulator's tables behind one handle; `transaction` makes a multi-table change atomic. */
export class EmulatorStore {
  readonly assistants: AssistantStore;
  readonly threads: ThreadStore;
  readonly messages: MessageStore;
  readonly runs: RunStore;
  readonly steps: StepStore;
  readonly settings: SettingsStore;
  private readonly db: Db;

  constructor(path: string) {
    this.db = openDatabase(path);
    this.assistants = new AssistantStore(this.db);
    this.threads = new ThreadStore(this.db);
    this.messages = new MessageStore(this.db);
    this.runs = new RunStore(this.db);
    this.steps = new StepStore(this.db);
    this.settings = new SettingsStore(this.db);
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  isEmpty(): boolean {
    return this.assistants.oldest() === null && this.threads.count() === 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

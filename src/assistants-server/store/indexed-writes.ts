import type { LifecycleEvent, LifecycleEvents } from '../events/lifecycle-events';
import type { Db } from './database';
import { NO_STORE_INDEX, type StoreIndex } from './store-index';

/**
 * The one way a run, a thread or a message is written: the statement, the store index's update and the event, in one
 * transaction (a savepoint inside a caller's), the event published once it commits.
 */
export class IndexedWrites {
  index: StoreIndex = NO_STORE_INDEX;

  constructor(
    private readonly db: Db,
    private readonly events: LifecycleEvents,
  ) {}

  write(statement: () => void, event: LifecycleEvent): void {
    this.writeMany(() => {
      statement();
      return event;
    });
  }

  /** `statements` writes (and indexes) many objects, then names the one event standing for them, if any. */
  writeMany(statements: () => LifecycleEvent | null): void {
    this.events.withinTransaction(() =>
      this.db.transaction(() => {
        const event = statements();
        if (event === null) return;
        this.index.written(event);
        this.events.publish(event);
      })(),
    );
  }
}

import type { Logger } from '../../platform/logger';
import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { AssistantsStore } from '../store/assistants-store';
import type { Scheduler } from './scheduler';

/** How often an instance looks at what the others sharing its database changed (`RUNBOARD_INSTANCE_POLL_MS`). */
export const DEFAULT_INSTANCE_POLL_MS = 1_000;

export interface OtherInstances {
  store: AssistantsStore;
  clock: EmulatorClock;
  scheduler: Scheduler;
  /** Takes the model runs nobody calls (the model executor's `claimUnattended`), if runs are executed by a model. */
  claimUnattended: (() => Promise<number>) | null;
  pollMs: number;
  logger: Logger;
}

/**
 * Several instances on one database: what this instance learns only from the database. At once, when another
 * instance's write arrives as an event (the change log's `NOTIFY` wakes every instance): the scheduler re-arms, so a
 * run created elsewhere is claimed here too when this instance is free. And every `pollMs`, for what writes no event
 * (an instance that dies writes nothing: its leases just expire) and for a lost notification: the shared clock and
 * time scale, the due transitions, the model runs nobody calls. Returns the stop function, which resolves once a look
 * in progress has ended (a drain then releases what it claimed).
 */
export function followOtherInstances(parts: OtherInstances): () => Promise<void> {
  const { store, clock, scheduler, claimUnattended, logger } = parts;
  const unsubscribe = store.events.subscribe(({ event }) => {
    if (event.object === 'run' || event.object === 'resync') scheduler.wake();
  });
  let looking: Promise<void> | null = null;
  const look = async () => {
    if (looking) return;
    looking = lookOnce();
    await looking;
  };
  const lookOnce = async () => {
    try {
      await clock.refresh();
      scheduler.reschedule();
      await claimUnattended?.();
    } catch (error) {
      logger.error('Could not look at what the other instances changed', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      looking = null;
    }
  };
  const timer = setInterval(() => void look(), parts.pollMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    unsubscribe();
    await looking;
  };
}

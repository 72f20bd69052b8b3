import type { EmulatorClock } from '../clock/emulator-clock';
import type { LifecycleSettings, RunLifecycle } from '../lifecycle/run-lifecycle';
import type { EmulatorStore } from '../store/emulator-store';
import type { RunStreams } from '../streaming/run-streams';

/** What the route handlers work with. */
export interface RouteContext {
  store: EmulatorStore;
  lifecycle: RunLifecycle;
  clock: EmulatorClock;
  settings: LifecycleSettings;
  /** Open `stream: true` answers, fed by the lifecycle event seam. */
  streams: RunStreams;
}

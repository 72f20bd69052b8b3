import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { LifecycleSettings, RunLifecycle } from '../lifecycle/run-lifecycle';
import type { FileBytes } from '../files/file-bytes';
import type { FileSearch } from '../file-search/file-search';
import type { AssistantsStore } from '../store/assistants-store';
import type { RunStreams } from '../streaming/run-streams';

/** What the route handlers work with. */
export interface RouteContext {
  store: AssistantsStore;
  lifecycle: RunLifecycle;
  clock: EmulatorClock;
  settings: LifecycleSettings;
  /** Open `stream: true` answers, fed by the lifecycle event seam. */
  streams: RunStreams;
  /** Uploaded files' bytes, and the bound on one upload (512 MB, as OpenAI's). */
  files: { bytes: FileBytes; maxBytes: number };
  /** The one file-search engine (vector stores index into it; runs search it). */
  fileSearch: FileSearch;
}

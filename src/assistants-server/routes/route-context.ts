import type { EmulatorClock } from '../emulation/clock/emulator-clock';
import type { LifecycleSettings, RunLifecycle } from '../lifecycle/run-lifecycle';
import type { FileSearch } from '../file-search/file-search';
import type { FileBytes } from '../files/file-bytes';
import type { AssistantsStore } from '../store/assistants-store';
import type { RunStreams } from '../streaming/run-streams';
import type { VectorStoreFiles } from '../vector-stores/vector-store-files';

/** What the route handlers work with. */
export interface RouteContext {
  store: AssistantsStore;
  lifecycle: RunLifecycle;
  clock: EmulatorClock;
  settings: LifecycleSettings;
  /** Open `stream: true` answers, fed by the lifecycle event seam. */
  streams: RunStreams;
  /**
   * Uploaded files' bytes, the bound on one upload (512 MB, as OpenAI's) and on one answer of a vector store file's
   * parsed content (`MAX_FILE_CONTENT_BYTES`).
   */
  files: { bytes: FileBytes; maxBytes: number; maxContentBytes: number };
  /** The one file-search engine (vector store search, and the executors' `file_search`), on the store's chunk index. */
  fileSearch: FileSearch;
  /** Files put in vector stores, and their processing off the request path. */
  vectorStoreFiles: VectorStoreFiles;
}

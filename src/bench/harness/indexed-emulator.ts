import { createAssistantsServer } from '../../assistants-server/assistants-server';
import { silentLogger } from '../../platform/logger';
import { indexInEmulatorStore } from '../../server/run-index/emulator-source';

/** The emulator in process on in-memory SQLite, silent, no demo data, with the query index in its store. */
export function indexedEmulator() {
  const kept = indexInEmulatorStore(silentLogger);
  const emulator = createAssistantsServer({
    dbPath: ':memory:',
    timeScale: 1,
    apiKey: null,
    seedDemo: false,
    logger: silentLogger,
    index: kept.attach,
  });
  return { emulator, index: () => kept.index() };
}

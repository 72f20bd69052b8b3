import { createQuietAssistantsServer } from '../../assistants-server/test-support/quiet-server';
import { silentLogger } from '../../platform/logger';
import { indexInEmulatorStore } from '../../server/run-index/emulator-source';

/** The emulator in process on in-memory SQLite, silent, no demo data, with the query index in its store. */
export async function indexedEmulator() {
  const kept = indexInEmulatorStore(silentLogger);
  const emulator = await createQuietAssistantsServer({ index: kept.attach });
  return { emulator, index: () => kept.index() };
}

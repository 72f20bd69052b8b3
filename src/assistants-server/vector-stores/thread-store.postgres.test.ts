import { runOnTestStore } from '../test-support/test-store';

// The same suite as thread-store.test.ts, on the PostgreSQL store (a server when RUNBOARD_TEST_DATABASE_URL is set, else PGlite).
runOnTestStore('postgres');
await import('./thread-store.test');

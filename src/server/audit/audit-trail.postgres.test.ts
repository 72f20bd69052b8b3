import { runOnTestStore } from '../../assistants-server/test-support/test-store';

// The same suite as audit-trail.test.ts, on the PostgreSQL store (a server when RUNBOARD_TEST_DATABASE_URL is set, else PGlite).
runOnTestStore('postgres');
await import('./audit-trail.test');

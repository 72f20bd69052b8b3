import Database from 'better-sqlite3';
import type { Harness } from './emulator-harness';

/** A run row whose JSON cannot be read at all (body and internal cut short). */
export const UNREADABLE_RUN = "internal = '{not json', body = '{\"id\": trunc'";
/** A run row that reads, but whose start transition throws (its `tools` is not a list). */
export const THROWS_ON_START = "body = json_set(body, '$.tools', json('null'))";

/** Writes straight into a run's SQLite row, as a bad migration or a hand edit would. */
export function corruptRun(dbPath: string, runId: string, assignments: string): void {
  const db = new Database(dbPath);
  try {
    db.prepare(`UPDATE runs SET ${assignments} WHERE id = ?`).run(runId);
  } finally {
    db.close();
  }
}

/** Three threads, each with a queued run (due to start one second later). */
export async function threeQueuedRuns(harness: Harness) {
  const assistant = await harness.client.beta.assistants.create({ model: 'gpt-4o' });
  const runs = [];
  for (const text of ['first', 'second', 'third']) {
    const thread = await harness.client.beta.threads.create({ messages: [{ role: 'user', content: text }] });
    runs.push(await harness.client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id }));
  }
  return runs;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssistantsStore } from '../../store/assistants-store';
import { openSqliteStore } from '../../store/sqlite-assistants-store';
import { EmulatorClock } from './emulator-clock';

/** Two instances' clocks on one database (two stores on one SQLite file): the offset and the time scale are shared. */
let directory: string;
const opened: AssistantsStore[] = [];
const WALL_MS = 1_700_000_000_000;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'runboard-clock-'));
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  rmSync(directory, { recursive: true, force: true });
});

async function instance() {
  const store = openSqliteStore(join(directory, 'emulator.sqlite'));
  opened.push(store);
  const scale = { timeScale: 1 };
  const clock = await EmulatorClock.load(store.settings, () => WALL_MS, scale);
  return { clock, scale };
}

describe('the emulator clock shared by instances on one database', () => {
  it("moves every instance: one's advance is the other's at its next refresh, and both advances count", async () => {
    const a = await instance();
    const b = await instance();
    await a.clock.advance(60);
    expect(a.clock.now()).toBe(WALL_MS + 60_000);
    expect(b.clock.now()).toBe(WALL_MS);
    expect(await b.clock.refresh()).toBe(true);
    expect(b.clock.now()).toBe(WALL_MS + 60_000);
    expect(await b.clock.refresh()).toBe(false);

    // Advanced at once from both, each from what it knew: neither advance is lost.
    await Promise.all([a.clock.advance(1), b.clock.advance(2)]);
    await a.clock.refresh();
    await b.clock.refresh();
    expect(a.clock.offsetSeconds).toBe(63);
    expect(b.clock.offsetSeconds).toBe(63);
    // A later start reads it.
    expect((await instance()).clock.offsetSeconds).toBe(63);
  });

  it('shares the time scale: set on one instance, every other takes it at its next refresh', async () => {
    const a = await instance();
    const b = await instance();
    await a.clock.setTimeScale(50);
    expect(a.scale.timeScale).toBe(50);
    expect(b.scale.timeScale).toBe(1);
    expect(await b.clock.refresh()).toBe(true);
    expect(b.scale.timeScale).toBe(50);
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_TRAFFIC_MEMORY, TRAFFIC_MEMORY_MS, TrafficMemory } from './traffic-memory';

describe('the memory of runs seen in forwarded traffic', () => {
  it('keeps at most MAX_TRAFFIC_MEMORY runs, forgetting the oldest first', () => {
    const memory = new TrafficMemory();
    for (let i = 0; i <= MAX_TRAFFIC_MEMORY; i++) memory.remember(`run_${i}`, 1_000 + i);
    expect(memory.size).toBe(MAX_TRAFFIC_MEMORY);
    expect(memory.shownSince('run_0', 0)).toBe(false);
    expect(memory.shownSince('run_1', 0)).toBe(true);
    expect(memory.shownSince(`run_${MAX_TRAFFIC_MEMORY}`, 0)).toBe(true);
  });

  it('forgets runs older than TRAFFIC_MEMORY_MS as new ones arrive', () => {
    const memory = new TrafficMemory();
    memory.remember('run_old', 0);
    memory.remember('run_recent', TRAFFIC_MEMORY_MS - 1);
    memory.remember('run_new', TRAFFIC_MEMORY_MS);
    expect(memory.shownSince('run_old', 0)).toBe(false);
    expect(memory.shownSince('run_recent', 0)).toBe(true);
    expect(memory.size).toBe(2);
  });

  it('a run seen again moves to the newest place and is kept over older ones', () => {
    const memory = new TrafficMemory(2);
    memory.remember('run_a', 1);
    memory.remember('run_b', 2);
    memory.remember('run_a', 3);
    memory.remember('run_c', 4);
    expect(memory.shownSince('run_a', 3)).toBe(true);
    expect(memory.shownSince('run_b', 0)).toBe(false);
  });

  it('answers only for traffic at or after the moment asked about', () => {
    const memory = new TrafficMemory();
    memory.remember('run_a', 500);
    expect(memory.shownSince('run_a', 500)).toBe(true);
    expect(memory.shownSince('run_a', 501)).toBe(false);
    expect(memory.shownSince('run_unknown', 0)).toBe(false);
  });
});

/**
 * Runs `task` one call after another and returns each call's duration (ms), stopping after `maxSamples` calls or
 * `maxMs`, whichever comes first. A few warm-up calls are made and not counted.
 */
export async function timeSequential(
  task: () => Promise<unknown>,
  { maxSamples, maxMs, warmup = 10 }: { maxSamples: number; maxMs: number; warmup?: number },
): Promise<number[]> {
  for (let index = 0; index < warmup; index++) await task();
  const samples: number[] = [];
  const deadline = performance.now() + maxMs;
  while (samples.length < maxSamples && performance.now() < deadline) {
    const started = performance.now();
    await task();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Keeps `concurrency` calls of `task` in flight for `durationMs` and returns how many completed per second. */
export async function throughput(
  task: () => Promise<unknown>,
  { concurrency, durationMs }: { concurrency: number; durationMs: number },
) {
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          await task();
          completed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: completed / seconds, completed, failed };
}

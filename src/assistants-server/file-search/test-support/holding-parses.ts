import { BroadcastChannel } from 'node:worker_threads';

/** The broadcast channel between `holding-parse-worker.ts` and the test that holds its files. */
export const HOLDING_CHANNEL = 'runboard-holding-parse-worker';

/** The module of a parse worker that holds each file until `holdingParses().release(filename)`. */
export const HOLDING_PARSE_WORKER = new URL('./holding-parse-worker.ts', import.meta.url);

/** The test's side of `holding-parse-worker.ts`: which file a worker holds now, and letting it go. */
export function holdingParses() {
  const channel = new BroadcastChannel(HOLDING_CHANNEL);
  const held: string[] = [];
  let wake: (() => void) | null = null;
  channel.onmessage = (event) => {
    const { holding } = (event as { data: { holding?: string } }).data;
    if (holding === undefined) return;
    held.push(holding);
    wake?.();
  };
  return {
    /** The next file a worker holds (its filename), once one does. */
    async next(): Promise<string> {
      while (held.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return held.shift()!;
    },
    release: (filename: string) => channel.postMessage({ release: filename }),
    close: () => channel.close(),
  };
}

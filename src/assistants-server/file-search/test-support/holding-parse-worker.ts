/**
 * A parse worker that holds each file until the test lets it go, for `worker-parser.test.ts` and
 * `parse-off-thread.test.ts`. Its start-up takes 500 ms (as PDF.js's can). Once it holds a file it says so on the
 * `HOLDING_CHANNEL` broadcast channel (`{ holding: filename }`); `{ release: filename }` there lets the file go (once: a later parse of it holds again), and
 * it is answered as its text (one chunk).
 */
import { BroadcastChannel } from 'node:worker_threads';
import { serveTasks } from '../../../platform/worker-pool/serve-tasks';
import type { ParseTask, ParseTaskResult } from '../parse/parse-task';
import { HOLDING_CHANNEL } from './holding-parses';

Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);

const channel = new BroadcastChannel(HOLDING_CHANNEL);
channel.unref();
const released = new Set<string>();
const waiting = new Map<string, () => void>();
channel.onmessage = (event) => {
  const { release } = (event as { data: { release?: string } }).data;
  if (release === undefined) return;
  const resolve = waiting.get(release);
  waiting.delete(release);
  if (resolve) resolve();
  else released.add(release);
};

serveTasks<ParseTask, ParseTaskResult>(async (task) => {
  channel.postMessage({ holding: task.filename });
  if (!released.delete(task.filename))
    await new Promise<void>((resolve) => waiting.set(task.filename, resolve));
  const text = new TextDecoder().decode(task.bytes);
  return {
    result: {
      ok: true,
      parsed: { kind: 'text', pages: null },
      text,
      chunks: task.chunking ? [{ index: 0, text, tokens: 1 }] : null,
    },
  };
});

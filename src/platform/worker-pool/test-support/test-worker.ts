/** A pool worker that misbehaves on demand, for `worker-pool.test.ts`. */
import { serveTasks } from '../serve-tasks';

export type TestTask =
  | { kind: 'echo'; value: string }
  | { kind: 'sum'; bytes: Uint8Array }
  /** Stores 1 at index 1 once it holds its thread, then holds it until the main thread stores 1 at index 0. */
  | { kind: 'wait-for-main'; flag: SharedArrayBuffer }
  | { kind: 'throw'; message: string }
  | { kind: 'exit' }
  | { kind: 'spin' }
  | { kind: 'hog' };

serveTasks<TestTask, unknown>(async (task) => {
  switch (task.kind) {
    case 'echo':
      return { result: `${task.value} from a worker` };
    case 'sum':
      return { result: task.bytes.reduce((sum, byte) => sum + byte, 0) };
    case 'wait-for-main': {
      const flag = new Int32Array(task.flag);
      Atomics.store(flag, 1, 1);
      while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 50);
      return { result: 'released' };
    }
    case 'throw':
      throw new TypeError(task.message);
    case 'exit':
      process.exit(3);
      break;
    case 'spin':
      for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
    case 'hog': {
      const held: number[][] = [];
      for (;;) held.push(Array.from({ length: 100_000 }, (_, index) => index + held.length));
    }
  }
});

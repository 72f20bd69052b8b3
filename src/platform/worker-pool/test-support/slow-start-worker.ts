/** A pool worker whose start-up takes 500 ms (as PDF.js's can), then echoes: for `worker-pool.test.ts`. */
import { serveTasks } from '../serve-tasks';

Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);

serveTasks<string, string>(async (value) => ({ result: `${value} from a slow worker` }));

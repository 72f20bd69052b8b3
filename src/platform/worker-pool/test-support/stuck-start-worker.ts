/** A pool worker whose start-up never ends (its module never loads), for `worker-pool.test.ts`. */
import { serveTasks } from '../serve-tasks';

Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);

serveTasks<string, string>(async (value) => ({ result: value }));

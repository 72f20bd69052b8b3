// The first module of every pool worker: loads the pool's entry module, registering tsx first when it is
// TypeScript (the server runs from its sources under tsx or vitest, and Node 20 gives a worker none of the parent's
// module hooks). A compiled entry (.js) is imported as it is.
import { workerData } from 'node:worker_threads';

const { entry } = workerData;
if (/\.[cm]?ts$/.test(entry)) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);

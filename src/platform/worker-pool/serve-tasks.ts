import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { ReadyMessage, ResultMessage, TaskMessage } from './worker-protocol';

/** What a handler answers: the result, and the buffers to move (not copy) back to the pool. */
export interface HandledTask<Result> {
  result: Result;
  transfer?: TransferListItem[];
}

/**
 * The worker's side of a `WorkerPool`: each task the pool sends is given to `handle`, one at a time (the pool sends
 * a worker one task at a time), and its result or error is posted back. It tells the pool once it is ready.
 */
export function serveTasks<Task, Result>(handle: (task: Task) => Promise<HandledTask<Result>>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread started by a WorkerPool.');
  port.on('message', (message: TaskMessage<Task>) => {
    void handle(message.task).then(
      ({ result, transfer }) => {
        const reply: ResultMessage<Result> = { id: message.id, ok: true, result };
        port.postMessage(reply, transfer ?? []);
      },
      (error: unknown) => {
        const reply: ResultMessage<Result> = {
          id: message.id,
          ok: false,
          error: {
            name: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
          },
        };
        port.postMessage(reply);
      },
    );
  });
  const ready: ReadyMessage = { ready: true };
  port.postMessage(ready);
}

/** The messages between a `WorkerPool` and its workers (`serveTasks`). */

/** Pool → worker: one task. */
export interface TaskMessage<Task> {
  id: number;
  task: Task;
}

/** Worker → pool: how a task ended. A handler that threw is reported by its error's name and message. */
export type ResultMessage<Result> =
  | { id: number; ok: true; result: Result }
  | { id: number; ok: false; error: { name: string; message: string } };

/** Worker → pool, once: its module is loaded and it takes tasks (a task's time bound starts here, not at start-up). */
export interface ReadyMessage {
  ready: true;
}

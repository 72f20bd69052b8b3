import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { ScriptedReply } from '../../assistants-server/llm-executor/test-support/scripted-chat-server';

export interface ScriptedModelProcess {
  /** The base URL to configure, ending in `/v1`. */
  url: string;
  /** Answers the server left before they ended, so far. */
  abandoned(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The scripted chat-completions server in its own process, answering every request with `reply`: a model that
 * streams as fast as it can must not take the bench's own event loop (its probes would measure the model, not the
 * server).
 */
export function startScriptedModelProcess(reply: ScriptedReply): Promise<ScriptedModelProcess> {
  const child = fork(resolve('src/bench/harness/scripted-model-child.ts'), [JSON.stringify(reply)], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolvePromise, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`The scripted model exited (code ${code}) before it was ready`)),
    );
    child.once('message', (message: { url: string }) =>
      resolvePromise({
        url: message.url,
        abandoned: () => ask(child),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

function ask(child: ChildProcess): Promise<number> {
  return new Promise((resolvePromise) => {
    child.once('message', (message: { abandoned: number }) => resolvePromise(message.abandoned));
    child.send('abandoned');
  });
}

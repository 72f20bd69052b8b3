import type { Logger } from '../platform/logger';

/** What the handlers need of `process`: a stand-in in tests. */
export interface FailingProcess {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  exit(code: number): void;
}

/**
 * Failures nothing caught, logged through the logger (one structured line, not Node's raw dump). An unhandled
 * rejection is a promise someone forgot to await: logged, and the server goes on. An uncaught exception left some
 * work half done with no way to tell what: logged, and the process exits (code 1) for its supervisor to restart it.
 */
export function logProcessFailures(logger: Logger, target: FailingProcess = process): void {
  target.on('unhandledRejection', (reason) => {
    logger.error('Unhandled promise rejection (the server goes on)', { error: describe(reason) });
  });
  target.on('uncaughtException', (error) => {
    logger.error('Uncaught exception: the server stops', { error: describe(error) });
    target.exit(1);
  });
}

function describe(reason: unknown): string {
  return reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
}

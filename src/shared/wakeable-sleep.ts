/**
 * A sleep that can be cut short: `sleep(ms)` resolves after `ms`, or at once when `wake()` is called (a new token,
 * the network back, a thread to watch, closing). `wake()` while nothing sleeps does nothing.
 */
export function wakeableSleep() {
  let wake: (() => void) | null = null;
  return {
    sleep(ms: number): Promise<void> {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    },
    wake(): void {
      wake?.();
    },
  };
}

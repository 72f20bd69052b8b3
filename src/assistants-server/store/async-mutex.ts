/**
 * One holder at a time, first come first served: an asynchronous transaction on SQLite's single connection holds it
 * from BEGIN to COMMIT, so two never interleave their statements.
 */
export class AsyncMutex {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  /** Nobody holds it and nobody waits: synchronous work may run at once without taking it. */
  get idle(): boolean {
    return !this.held;
  }

  /** Resolves once the caller holds it (at once, synchronously taken, when it is free). */
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands it to the next waiter, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

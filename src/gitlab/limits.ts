/** Concurrency and timing primitives shared by every request of one client. */

/** The reason used when our own code aborts (timeouts, page windows): never shown to users. */
export class InternalAbort extends Error {
  constructor(readonly why: 'timeout' | 'closed' | 'done') {
    super(`internal abort: ${why}`);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Waiter {
  grant: () => void;
  cancel: (reason: unknown) => void;
}

/**
 * Caps requests in flight for one client, across all of its calls. FIFO, so an early page
 * of a listing is not starved by later speculative ones; abortable while queued.
 */
export class Semaphore {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly max: number) {}

  get inFlight(): number {
    return this.active;
  }

  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
        cancel: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Fails every queued waiter (client closing). */
  rejectAll(reason: unknown): void {
    for (const w of this.queue.splice(0)) w.cancel(reason);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes straight to the next waiter, so `active` stays put.
      if (next) next.grant();
      else this.active--;
    };
  }
}

/**
 * One "not before" instant per client. A 429 tells us the *user* is over the limit, not one
 * request, so every worker must wait, not only the one that was refused.
 */
export class BackoffGate {
  private until = 0;

  pause(ms: number): void {
    this.until = Math.max(this.until, Date.now() + ms);
  }

  get remainingMs(): number {
    return Math.max(0, this.until - Date.now());
  }

  async wait(signal?: AbortSignal): Promise<void> {
    // Loop: the gate may be pushed further while we sleep.
    for (let ms = this.remainingMs; ms > 0; ms = this.remainingMs) {
      await sleep(ms, signal);
    }
  }
}

/** Runs tasks one at a time, in arrival order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface Waiter {
  exclusive: boolean;
  grant: () => void;
}

/**
 * Shared and exclusive holders in arrival order: shared tasks run together, an exclusive one alone.
 * A waiting exclusive task holds back the shared ones that came after it, so neither side starves.
 */
export class ReadWriteLock {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly queue: Waiter[] = [];

  shared<T>(task: () => Promise<T>): Promise<T> {
    return this.hold(false, task);
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.hold(true, task);
  }

  private async hold<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.queue.push({ exclusive, grant });
      this.admit();
    });
    try {
      return await task();
    } finally {
      if (exclusive) this.exclusiveHeld = false;
      else this.sharedHolders -= 1;
      this.admit();
    }
  }

  /** Lets in, from the front of the queue, whoever may run now. */
  private admit(): void {
    while (this.queue.length > 0 && !this.exclusiveHeld) {
      const next = this.queue[0]!;
      if (next.exclusive && this.sharedHolders > 0) return;
      this.queue.shift();
      if (next.exclusive) this.exclusiveHeld = true;
      else this.sharedHolders += 1;
      next.grant();
    }
  }
}

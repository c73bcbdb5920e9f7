import { ReadWriteLock } from '../../../../emulators/snowflake/engine/mutex';

/** A task that records when it starts and ends, and ends when told to. */
function task(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      log.push(`${name}+`);
      await done;
      log.push(`${name}-`);
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadWriteLock', () => {
  it('runs shared holders together and an exclusive holder alone, in arrival order', async () => {
    const lock = new ReadWriteLock();
    const log: string[] = [];
    const [r1, r2, w, r3] = ['r1', 'r2', 'w', 'r3'].map((n) => task(log, n));
    const all = [
      lock.shared(r1!.run),
      lock.shared(r2!.run),
      lock.exclusive(w!.run),
      // Came after the waiting writer: waits for it, so a stream of readers cannot starve writers.
      lock.shared(r3!.run),
    ];
    await tick();
    expect(log).toEqual(['r1+', 'r2+']);
    r1!.finish();
    await tick();
    expect(log).toEqual(['r1+', 'r2+', 'r1-']);
    r2!.finish();
    await tick();
    expect(log).toEqual(['r1+', 'r2+', 'r1-', 'r2-', 'w+']);
    w!.finish();
    await tick();
    expect(log.slice(-2)).toEqual(['w-', 'r3+']);
    r3!.finish();
    await Promise.all(all);
  });

  it('releases the lock when a task fails', async () => {
    const lock = new ReadWriteLock();
    await expect(lock.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.shared(async () => 'read')).resolves.toBe('read');
    await expect(lock.exclusive(async () => 'written')).resolves.toBe('written');
  });
});

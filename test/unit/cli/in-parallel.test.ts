import { inParallel } from '../../../src/cli/in-parallel';

/** A task per item that ends when the test says so, to end them out of order. */
function controlled() {
  const waiting = new Map<number, () => void>();
  let running = 0;
  let peak = 0;
  const work = (item: number) =>
    new Promise<number>((resolve) => {
      running += 1;
      peak = Math.max(peak, running);
      waiting.set(item, () => {
        running -= 1;
        resolve(item * 10);
      });
    });
  const finish = async (item: number) => {
    waiting.get(item)!();
    waiting.delete(item);
    await new Promise((r) => setImmediate(r));
  };
  return { work, finish, started: () => [...waiting.keys()], peak: () => peak };
}

describe('inParallel', () => {
  it('runs at most `limit` tasks at once and hands results on in the order of the items', async () => {
    const tasks = controlled();
    const seen: number[] = [];
    const all = inParallel([1, 2, 3, 4], 2, tasks.work, (r) => seen.push(r));
    await new Promise((r) => setImmediate(r));
    expect(tasks.started()).toEqual([1, 2]);
    await tasks.finish(2);
    expect(seen).toEqual([]); // 1 is not done: 2 waits for it
    expect(tasks.started()).toEqual([1, 3]);
    await tasks.finish(1);
    expect(seen).toEqual([10, 20]);
    await tasks.finish(4);
    await tasks.finish(3);
    expect(await all).toEqual([10, 20, 30, 40]);
    expect(seen).toEqual([10, 20, 30, 40]);
    expect(tasks.peak()).toBe(2);
  });

  it('throws the first failure and starts no further item', async () => {
    const started: number[] = [];
    const work = async (item: number) => {
      started.push(item);
      if (item === 1) throw new Error('table 1 failed');
      return item;
    };
    await expect(inParallel([1, 2, 3], 1, work, () => undefined)).rejects.toThrow('table 1 failed');
    expect(started).toEqual([1]);
  });
});

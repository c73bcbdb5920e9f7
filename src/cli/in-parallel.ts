/** A bounded number of tasks at once, with their results in the order of their items. */

/**
 * Runs `work` on each item, `limit` at once, and hands each result to `inOrder` in the items' order as
 * soon as it and those before it are done. The first failure stops taking new items and is thrown.
 */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  inOrder: (result: R) => void,
): Promise<R[]> {
  const results: R[] = [];
  const done = new Map<number, R>();
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (next < items.length && !failed) {
      const index = next;
      next += 1;
      try {
        done.set(index, await work(items[index]!));
      } catch (err) {
        failed = true;
        throw err;
      }
      while (done.has(results.length)) {
        const result = done.get(results.length)!;
        done.delete(results.length);
        results.push(result);
        inOrder(result);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  return results;
}

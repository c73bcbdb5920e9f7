/**
 * Polls `read` until `ok` holds (a read that throws counts as not yet), for what a test waits on that
 * arrives in its own time: a follow round, a cutover. Fails after a minute, saying what it waited for and
 * the last value seen.
 */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

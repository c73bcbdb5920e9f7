/**
 * A claim on a Temporal port by the local stack (a pid file in the temp folder), so that two demos started
 * together do not both launch a dev server on it: the loser's server panics on the busy port, and the
 * loser then runs on the winner's server, which the winner stops when it ends.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../src/load/work-dir';

export function portClaimFile(port: number): string {
  return join(tmpdir(), `sqlserver-snowflake-migrator-temporal-${port}.pid`);
}

/** Claims the port for this process, or says which live process holds it; returns the release. */
export function claimPort(port: number): () => void {
  const path = portClaimFile(port);
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (owner && processAlive(owner))
        throw new Error(
          `Another demo (pid ${owner}) uses Temporal port ${port} and stops its server when it ends: ` +
            'wait for it, or give this one other ports (--temporal-port, --ui-port).',
        );
      rmSync(path, { force: true }); // left by a process that is gone
    }
  }
}

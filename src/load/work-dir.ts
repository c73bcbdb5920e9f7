/**
 * The local folders batch files pass through. Each worker process writes under a folder of its own
 * (`worker-<host>-<pid>`), so a worker starting up can tell the leftovers of a killed one (files that
 * are copies of source rows) from the files of a live one, and remove them. Files are private to the
 * user: written with explicit modes, because the umask cannot be trusted (snowflake-sdk's local PUT
 * sets it to 0 for the whole process).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const PREFIX = 'worker-';

export function workerFolderName(host: string, pid: number): string {
  return `${PREFIX}${host}-${pid}`;
}

/** This process's batch-file folder under the configured workDir. */
export function workerFolder(root: string): string {
  return join(root, workerFolderName(hostname(), process.pid));
}

/** Folders among `names` that belong to processes of `host` that are no longer running. */
export function deadWorkerFolders(
  names: string[],
  host: string,
  isAlive: (pid: number) => boolean,
): string[] {
  const own = `${PREFIX}${host}-`;
  return names.filter((name) => {
    if (!name.startsWith(own)) return false;
    const pid = Number(name.slice(own.length));
    return Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid);
  });
}

/** Whether a process with this id runs on this host (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `root` (private) and removes what dead workers of this machine left in it; returns their folders. */
export async function removeDeadWorkerFolders(root: string): Promise<string[]> {
  await mkdir(root, { recursive: true, mode: PRIVATE_DIR_MODE });
  const dead = deadWorkerFolders(await readdir(root), hostname(), processAlive);
  await Promise.all(dead.map((name) => rm(join(root, name), { recursive: true, force: true })));
  return dead;
}

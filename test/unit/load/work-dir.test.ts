/**
 * Local batch files: which leftover folders a starting worker removes, and that files are private to
 * the user even when the process umask is 0 (as snowflake-sdk's local PUT leaves it).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGzipCsv } from '../../../src/load/batch-file';
import { deadWorkerFolders, workerFolderName } from '../../../src/load/work-dir';

describe('worker folders', () => {
  it('names a folder by host and process id', () => {
    expect(workerFolderName('etl-1', 4242)).toBe('worker-etl-1-4242');
  });

  it('picks the folders of dead processes of this host only', () => {
    const names = [
      'worker-etl-1-100', // alive
      'worker-etl-1-200', // dead
      'worker-etl-2-200', // another host: its processes cannot be checked from here
      'worker-etl-1-x', // not a process id
      'reports',
    ];
    expect(deadWorkerFolders(names, 'etl-1', (pid) => pid === 100)).toEqual(['worker-etl-1-200']);
  });
});

describe('batch files', () => {
  const folder = mkdtempSync(join(tmpdir(), 'batch-file-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('are written 0600 even under umask 0', async () => {
    const previous = process.umask(0);
    try {
      async function* rows() {
        yield [[1, 'a']];
      }
      const path = join(folder, 'b000001-a1.csv.gz');
      const stats = await writeGzipCsv(
        rows(),
        (row) => `${row.join(',')}\n`,
        path,
        () => undefined,
      );
      expect(stats.rows).toBe(1);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });
});

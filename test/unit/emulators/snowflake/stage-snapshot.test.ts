/**
 * COPY's view of a stage while a concurrent REMOVE or PURGE deletes files: what it listed stays
 * readable, and a file gone before it looked is simply not there (as Snowflake behaves), never ENOENT.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  listStagedFiles,
  namedStageFolder,
  snapshotStagedFiles,
} from '../../../../emulators/snowflake/stages';

describe('stage snapshot for COPY', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'stage-snapshot-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the listed files readable after removal and leaves out files removed before the snapshot', async () => {
    const folder = namedStageFolder(root, 7, 'MIGRATOR_STAGE');
    mkdirSync(path.join(folder.dir, 'run'), { recursive: true });
    for (const name of ['b1.csv', 'b2.csv', 'b3.csv']) {
      writeFileSync(path.join(folder.dir, 'run', name), `rows of ${name}\n`);
    }
    const listed = await listStagedFiles(folder, 'run/');
    rmSync(path.join(folder.dir, 'run', 'b2.csv')); // a PURGE between LIST and the reads

    const snapshot = await snapshotStagedFiles(folder, listed);
    rmSync(path.join(folder.dir, 'run', 'b3.csv')); // a REMOVE while COPY reads
    expect(snapshot.files.map((f) => f.relative)).toEqual(['run/b1.csv', 'run/b3.csv']);
    expect(snapshot.files.map((f) => readFileSync(f.absolute, 'utf8'))).toEqual([
      'rows of b1.csv\n',
      'rows of b3.csv\n',
    ]);
    expect((await listStagedFiles(folder, '')).map((f) => f.relative)).toEqual(['run/b1.csv']);

    await snapshot.release();
    expect(readdirSync(path.dirname(folder.dir))).toEqual(['7']);
  });
});

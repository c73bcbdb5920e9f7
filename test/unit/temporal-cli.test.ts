import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporalCli, temporalCliCacheDir, TEMPORAL_CLI_VERSION } from '../../scripts/temporal-cli';

function fakeExecutable(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'temporal');
  writeFileSync(path, '#!/bin/sh\necho fake\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findTemporalCli', () => {
  const saved = { ...process.env };
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'temporal-cli-test-'));
    process.env = { ...saved, PATH: join(root, 'empty-bin'), XDG_CACHE_HOME: join(root, 'cache') };
    delete process.env.TEMPORAL_CLI_PATH;
  });
  afterAll(() => {
    process.env = saved;
  });

  it('finds nothing when no source has a CLI', () => {
    expect(findTemporalCli()).toBeUndefined();
  });

  it('takes TEMPORAL_CLI_PATH first, then PATH, then the cache outside the repository', () => {
    const cached = fakeExecutable(temporalCliCacheDir());
    expect(cached).toBe(
      join(root, 'cache', 'sqlserver-snowflake-migrator', `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal'),
    );
    expect(findTemporalCli()).toMatchObject({ source: 'cache', path: cached });

    const onPath = fakeExecutable(join(root, 'bin'));
    process.env.PATH = join(root, 'bin');
    expect(findTemporalCli()).toMatchObject({ source: 'PATH', path: onPath });

    const explicit = fakeExecutable(join(root, 'explicit'));
    process.env.TEMPORAL_CLI_PATH = explicit;
    expect(findTemporalCli()).toMatchObject({
      source: 'TEMPORAL_CLI_PATH',
      executable: { type: 'existing-path', path: explicit },
    });
  });

  it('says so when TEMPORAL_CLI_PATH points at nothing usable', () => {
    process.env.TEMPORAL_CLI_PATH = join(root, 'missing');
    expect(() => findTemporalCli()).toThrow(
      /TEMPORAL_CLI_PATH is set to .*missing, which is not an executable file/,
    );
  });
});

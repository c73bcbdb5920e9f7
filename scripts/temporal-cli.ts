/**
 * Finds the official `temporal` CLI (which embeds the Temporal dev server and its Web UI) or builds it.
 *
 * Order: $TEMPORAL_CLI_PATH, then `temporal` on PATH, then a per-user cache folder outside the repository
 * (so a fresh clone reuses an earlier build), then `go install` of the pinned Go module into that cache.
 * Without Go, the Temporal SDK's own download of the dev server is the fallback (needs internet).
 *
 * Run directly (`npm run temporal:cli`) it prints the path of the CLI it found or built.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { EphemeralServerExecutable } from '@temporalio/testing/lib/ephemeral-server';

const run = promisify(execFile);

/** Tags from v1.6.0 carry `replace` directives in go.mod, which `go install pkg@version` refuses. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install' | 'sdk download';

export interface TemporalCli {
  source: TemporalCliSource;
  /** What to hand to `TestWorkflowEnvironment.createLocal({ server: { executable } })`. */
  executable: EphemeralServerExecutable;
  /** Absolute path of the binary, when there is one on this machine. */
  path?: string;
}

export function temporalCliCacheDir(): string {
  const cacheRoot = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheRoot, 'sqlserver-snowflake-migrator', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}

function existing(source: TemporalCliSource, path: string): TemporalCli {
  return { source, path, executable: { type: 'existing-path', path } };
}

/** Looks for an installed CLI without building anything. */
export function findTemporalCli(): TemporalCli | undefined {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`TEMPORAL_CLI_PATH is set to ${fromEnv}, which is not an executable file.`);
    }
    return existing('TEMPORAL_CLI_PATH', fromEnv);
  }
  const onPath = findOnPath('temporal');
  if (onPath) return existing('PATH', onPath);
  const cached = join(temporalCliCacheDir(), 'temporal');
  if (isExecutable(cached)) return existing('cache', cached);
  return undefined;
}

/** Builds the pinned CLI with `go install` into the cache folder; atomic, so concurrent builds are safe. */
async function buildWithGo(go: string, log: (line: string) => void): Promise<TemporalCli> {
  const cacheDir = temporalCliCacheDir();
  const target = join(cacheDir, 'temporal');
  const scratch = mkdtempSync(join(homedir(), '.temporal-cli-build-'));
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go (first run only; a few minutes)...`);
  const started = Date.now();
  try {
    await run(go, ['install', `${GO_PACKAGE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: scratch },
      maxBuffer: 64 * 1024 * 1024,
    });
    await run('mkdir', ['-p', cacheDir]);
    renameSync(join(scratch, 'temporal'), target);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`go install ${GO_PACKAGE}@${TEMPORAL_CLI_VERSION} failed:\n${stderr || String(err)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  log(`Built ${target} in ${Math.round((Date.now() - started) / 1000)} s.`);
  return existing('go install', target);
}

/**
 * Returns a usable dev-server executable: an installed or cached CLI, a fresh Go build, or, with no Go,
 * the SDK's cached download. Idempotent: after the first build it returns in milliseconds.
 */
export async function ensureTemporalCli(log: (line: string) => void = console.error): Promise<TemporalCli> {
  const found = findTemporalCli();
  if (found) return found;
  const go = findOnPath('go', ['/usr/local/go/bin']);
  if (go) return buildWithGo(go, log);
  log(
    'No temporal CLI and no Go toolchain found: falling back to the Temporal SDK download (needs internet).',
  );
  return { source: 'sdk download', executable: { type: 'cached-download' } };
}

export async function temporalCliVersion(path: string): Promise<string> {
  const { stdout } = await run(path, ['--version']);
  return stdout.trim();
}

if (require.main === module) {
  ensureTemporalCli()
    .then(async (cli) => {
      const version = cli.path && existsSync(cli.path) ? await temporalCliVersion(cli.path) : 'SDK download';
      console.log(`${cli.path ?? '(downloaded by the SDK on first use)'}  [${cli.source}; ${version}]`);
    })
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}

/** The command line: one line once listening, clean stop on SIGTERM/SIGINT, data kept in --data. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SnowflakeEmulator } from '../../../emulators/snowflake';
import { connect, localFolder } from './driver';

const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
const cli = path.join(process.cwd(), 'emulators', 'snowflake', 'cli.ts');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(args: string[]): Promise<Started> {
  const child = spawn(tsx, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => {
      stdout += data.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (match) resolve({ child, url: match[1]!, output: () => stdout });
    });
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('exit', (code) => reject(new Error(`the CLI exited with ${code}: ${stderr}`)));
  });
}

function stop(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.on('exit', (code) => resolve(code));
    started.child.kill(signal);
  });
}

/** What the driver needs from an emulator, for a CLI-started one. */
const remote = (url: string) => ({ url, account: 'EMULATOR' }) as SnowflakeEmulator;

describe('npm run emulator:snowflake', () => {
  const data = path.join(localFolder('stand-in-cli-'), 'snowflake.duckdb');

  it('lists every option in --help', () => {
    const help = spawnSync(tsx, [cli, '--help'], { encoding: 'utf8' }).stdout;
    for (const option of [
      '--port',
      '--host',
      '--data',
      '--account',
      '--user',
      '--password',
      '--public-key',
      '--role',
      '--default-warehouse',
      '--admin-sql',
      '--stage-dir',
      '--fail-requests',
      '--drop-connection',
      '--latency',
    ]) {
      expect(help).toContain(option);
    }
  });

  it('sets the account up with --admin-sql and gives the user --default-warehouse', async () => {
    const started = await start([
      '--port',
      '0',
      '--user',
      'CLI_USER',
      '--password',
      'cli-secret',
      '--default-warehouse',
      'LOAD_WH',
      '--admin-sql',
      'ALTER ACCOUNT SET QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE',
      '--admin-sql',
      'ALTER USER CLI_USER SET STATEMENT_TIMEOUT_IN_SECONDS = 1',
    ]);
    try {
      const client = await connect(remote(started.url), {
        username: 'CLI_USER',
        password: 'cli-secret',
        warehouse: undefined,
      });
      expect(await client.exec('SELECT CURRENT_WAREHOUSE() AS "warehouse"')).toEqual([
        { WAREHOUSE: 'LOAD_WH' },
      ]);
      await expect(client.exec('CALL SYSTEM$WAIT(2)')).rejects.toMatchObject({ code: '000630' });
      await client.close();
    } finally {
      await stop(started, 'SIGTERM');
    }
  });

  it('prints exactly one line, keeps data in --data across restarts, and stops cleanly', async () => {
    const args = ['--port', '0', '--data', data, '--user', 'CLI_USER', '--password', 'cli-secret'];
    const first = await start(args);
    const client = await connect(remote(first.url), { username: 'CLI_USER', password: 'cli-secret' });
    await client.exec('CREATE DATABASE IF NOT EXISTS "STEVE_MCP"');
    await client.exec('CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"');
    await client.exec('CREATE TABLE KEPT ("ID" NUMBER(10,0), "AT" TIMESTAMP_TZ(9))');
    await client.exec("INSERT INTO KEPT VALUES (1, '2024-01-31 13:45:00.123456789 +05:45')");
    await client.close();
    expect(await stop(first, 'SIGTERM')).toBe(0);
    expect(first.output()).toBe(`listening on ${first.url}\n`);

    // The second run also slows every answer down from the command line, until cleared over HTTP.
    const second = await start([...args, '--latency', '300']);
    const again = await connect(remote(second.url), { username: 'CLI_USER', password: 'cli-secret' });
    let started = Date.now();
    expect(
      await again.exec(
        'SELECT "ID", TO_VARCHAR("AT", \'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM\') AS "AT" FROM KEPT',
      ),
    ).toEqual([{ ID: 1, AT: '2024-01-31 13:45:00.123456789 +05:45' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await fetch(`${second.url}/emulator/faults`, { method: 'POST', body: JSON.stringify({ clear: true }) });
    started = Date.now();
    await again.exec('SELECT 1');
    expect(Date.now() - started).toBeLessThan(300);
    await again.close();
    expect(await stop(second, 'SIGINT')).toBe(0);
  });
});

/** The command line: one line when listening, every option in --help, a clean stop on SIGTERM/SIGINT. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import sql from 'mssql';
import { makeTestCertificates } from '../../support/tls-certificates';
import { failure, PASSWORD } from './support';

const CLI = join(__dirname, '..', '..', '..', 'emulators', 'sqlserver', 'cli.ts');
const SEED = join(__dirname, '..', '..', 'fixtures', 'sqlserver', 'shop-seed.sql');

function run(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  return { child, output: () => output };
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

async function listening(child: ChildProcess): Promise<number> {
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the stand-in exited with ${code}`)));
  });
  const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
  if (!m) throw new Error(`unexpected first line: ${line}`);
  return Number(m[1]);
}

describe('command line', () => {
  it('--help lists every option', async () => {
    const { child, output } = run(['--help']);
    expect(await exited(child)).toBe(0);
    for (const option of [
      '--port',
      '--host',
      '--user',
      '--password',
      '--database',
      '--seed',
      '--data',
      '--fault',
      '--tls-cert',
      '--tls-key',
      '--force-encryption',
      '--verbose',
    ]) {
      expect(output()).toContain(option);
    }
  });

  it.each([['SIGTERM'], ['SIGINT']] as const)(
    'seeds, prints one line, serves mssql, and stops cleanly on %s (password from MSSQL_SA_PASSWORD)',
    async (signal) => {
      const { child, output } = run(['--port', '0', '--database', 'shop', '--seed', SEED], {
        MSSQL_SA_PASSWORD: PASSWORD,
      });
      const port = await listening(child);
      const pool = await new sql.ConnectionPool({
        server: '127.0.0.1',
        port,
        user: 'sa',
        password: PASSWORD,
        database: 'shop',
        options: { encrypt: false, trustServerCertificate: true },
      }).connect();
      const rows = (await pool.request().query('SELECT id, name FROM dbo.customers ORDER BY id')).recordset;
      expect(rows).toEqual([
        { id: 1, name: 'Ada Lovelace' },
        { id: 2, name: 'Zoë Straße' },
      ]);
      await pool.close();
      child.kill(signal);
      expect(await exited(child)).toBe(0);
      expect(output().trim().split('\n')).toEqual([`listening on 127.0.0.1:${port}`]);
    },
  );

  it('serves TLS with --tls-cert/--tls-key and refuses unencrypted clients with --force-encryption', async () => {
    const certs = makeTestCertificates();
    const { child } = run([
      '--port',
      '0',
      '--password',
      PASSWORD,
      '--database',
      'shop',
      '--tls-cert',
      certs.server.certFile,
      '--tls-key',
      certs.server.keyFile,
      '--force-encryption',
    ]);
    try {
      const port = await listening(child);
      const config = (options: sql.config['options']) =>
        new sql.ConnectionPool({
          server: '127.0.0.1',
          port,
          user: 'sa',
          password: PASSWORD,
          database: 'shop',
          options,
        });
      const pool = await config({
        encrypt: true,
        cryptoCredentialsDetails: { ca: certs.ca },
        packetSize: 16_383,
      }).connect();
      expect((await pool.request().query('SELECT 1 AS one')).recordset).toEqual([{ one: 1 }]);
      await pool.close();
      expect(await failure(config({ encrypt: false }).connect())).toMatchObject({ code: 'EENCRYPT' });
    } finally {
      child.kill('SIGTERM');
      await exited(child);
      certs.remove();
    }
  });

  it('refuses to start without a password', async () => {
    const { child } = run(['--port', '0'], { MSSQL_SA_PASSWORD: '' });
    expect(await exited(child)).not.toBe(0);
  });
});

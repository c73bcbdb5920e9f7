/**
 * SQL Server Browser (MC-SQLR) in the stand-in, asked by tedious' own instance lookup (what a config with
 * source.instanceName uses, there always on UDP 1434; here on a port the test chooses): the named
 * instance's TCP port comes back, another instance is not found, and the port reached is the stand-in.
 */
import { instanceLookup } from 'tedious/lib/instance-lookup';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { answerBrowserRequest } from '../../../emulators/sqlserver/browser';
import { connect, query, startEmulator } from './support';

let emulator: SqlServerEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ browser: { port: 0, instanceName: 'SALES' } });
});
afterAll(() => emulator?.close());

const lookup = (instanceName: string) =>
  instanceLookup({
    server: '127.0.0.1',
    instanceName,
    port: emulator.browserPort!,
    timeout: 500,
    retries: 0,
    signal: new AbortController().signal,
  });

describe('SQL Server Browser', () => {
  it("tells tedious the named instance's TCP port (names compare case-insensitively), which is the stand-in", async () => {
    expect(await lookup('sales')).toBe(emulator.port);
    const pool = await connect(emulator, { port: await lookup('SALES') });
    try {
      expect(await query(pool, 'SELECT DB_NAME() AS db')).toEqual([{ db: 'shop' }]);
    } finally {
      await pool.close();
    }
  });

  it('does not know another instance', async () => {
    await expect(lookup('HR')).rejects.toThrow('Port for HR not found in 127.0.0.1');
  });

  it('answers CLNT_UCAST_INST for its instance only, and nothing else', () => {
    const instance = { serverName: 'SQL1', instanceName: 'SALES', version: '16.0.1000.6', tcpPort: 50123 };
    const answer = answerBrowserRequest(Buffer.from('\x04SALES\x00', 'latin1'), instance)!;
    const data = 'ServerName;SQL1;InstanceName;SALES;IsClustered;No;Version;16.0.1000.6;tcp;50123;;';
    expect([answer[0], answer.readUInt16LE(1), answer.toString('ascii', 3)]).toEqual([5, data.length, data]);
    expect(answerBrowserRequest(Buffer.from('\x04HR\x00', 'latin1'), instance)).toBeUndefined();
    expect(answerBrowserRequest(Buffer.from([0x03]), instance)).toBeUndefined();
  });
});

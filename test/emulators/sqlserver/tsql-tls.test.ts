/**
 * An independent TLS client: FreeTDS `tsql` (GnuTLS) against the stand-in with a test CA. With
 * `encryption = require` it asks for ENCRYPT_ON and the whole session is encrypted; with its default,
 * `request`, it offers ENCRYPT_OFF and SQL Server encrypts the login packet only (MS-TDS 2.2.6.5). FreeTDS
 * 1.3 has no TDS 8.0 (strict). Skipped, with a message, where `tsql` is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlServerEmulator } from '../../../emulators/sqlserver';
import { makeTestCertificates, type TestCertificates } from '../../support/tls-certificates';
import { PASSWORD, startEmulator } from './support';
import { recordingProxy } from './wire-proxy';

const HAS_TSQL = spawnSync('tsql', ['-C'], { encoding: 'utf8' }).status === 0;
if (!HAS_TSQL) {
  process.stderr.write(
    'FreeTDS tsql is not installed: skipping its TLS test (apt-get install freetds-bin to run it).\n',
  );
}

const MARKER = 'tsql-canary-0815';

/** The password as LOGIN7 carries it: UTF-16LE, each byte's nibbles swapped and XORed with 0xA5. */
function passwordOnWire(password: string): Buffer {
  return Buffer.from(Buffer.from(password, 'utf16le').map((b) => (((b << 4) | (b >> 4)) & 0xff) ^ 0xa5));
}

(HAS_TSQL ? describe : describe.skip)('FreeTDS tsql over TLS', () => {
  let certs: TestCertificates;
  let emulator: SqlServerEmulator;

  beforeAll(async () => {
    certs = makeTestCertificates();
    emulator = await startEmulator({ tls: certs.server });
  });

  afterAll(async () => {
    await emulator?.close();
    certs?.remove();
  });

  /** Runs one query through tsql via a recording proxy, with a freetds.conf naming the test CA. */
  async function tsql(encryption: 'require' | 'request') {
    const proxy = await recordingProxy(emulator.port);
    const conf = join(certs.dir, `freetds-${encryption}.conf`);
    writeFileSync(
      conf,
      `[standin]\n host = 127.0.0.1\n port = ${proxy.port}\n tds version = 7.4\n` +
        ` encryption = ${encryption}\n ca file = ${certs.caFile}\n`,
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn('tsql', ['-S', 'standin', '-U', 'sa', '-P', PASSWORD, '-D', 'shop', '-o', 'q'], {
          env: { ...process.env, FREETDSCONF: conf },
        });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.on('error', reject);
        child.on('close', () => resolve(out));
        child.stdin.end(`SELECT N'${MARKER}' AS m\ngo\nexit\n`);
      });
      return { lines: output.split('\n').filter((l) => l !== ''), ...proxy.wire() };
    } finally {
      await proxy.close();
    }
  }

  it('encryption = require: the whole session over TLS, checked against the CA', async () => {
    const { lines, up, down } = await tsql('require');
    expect(lines).toEqual(['m', MARKER]);
    expect(up.includes(Buffer.from(MARKER, 'utf16le'))).toBe(false);
    expect(down.includes(Buffer.from(MARKER, 'utf16le'))).toBe(false);
    expect(up.includes(passwordOnWire(PASSWORD))).toBe(false);
  });

  it('encryption = request: the login packet only is encrypted, the rest is plain TDS', async () => {
    const { lines, up, down } = await tsql('request');
    expect(lines).toEqual(['m', MARKER]);
    expect(up.includes(passwordOnWire(PASSWORD))).toBe(false);
    expect(up.includes(Buffer.from(MARKER, 'utf16le'))).toBe(true);
    expect(down.includes(Buffer.from(MARKER, 'utf16le'))).toBe(true);
  });
});

/**
 * Certificates for TLS tests, made with the `openssl` CLI into a temporary folder at test time (no key is
 * committed): a test CA, a server certificate it signs for localhost and 127.0.0.1, and a self-signed
 * one for the same names, as an on-premises SQL Server makes for itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  /** The CA's certificate, PEM: what a client trusts. */
  caFile: string;
  ca: string;
  /** Signed by the CA, for DNS:localhost and IP:127.0.0.1 (PEM, and the files holding them). */
  server: { cert: string; key: string; certFile: string; keyFile: string };
  /** Self-signed, for the same names. */
  selfSigned: { cert: string; key: string; certFile: string };
  remove(): void;
}

const SERVER_NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) =>
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file(name));

  key('ca.key');
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    file('ca.key'),
    '-subj',
    '/CN=Migrator Test CA',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    file('ca.pem'),
  );
  key('server.key');
  openssl('req', '-new', '-key', file('server.key'), '-subj', '/CN=localhost', '-out', file('server.csr'));
  writeFileSync(file('server.ext'), `${SERVER_NAMES}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  key('self.key');
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    file('self.key'),
    '-subj',
    '/CN=localhost',
    '-days',
    '2',
    '-addext',
    SERVER_NAMES,
    '-out',
    file('self.pem'),
  );
  const read = (name: string) => readFileSync(file(name), 'utf8');
  return {
    dir,
    caFile: file('ca.pem'),
    ca: read('ca.pem'),
    server: {
      cert: read('server.pem'),
      key: read('server.key'),
      certFile: file('server.pem'),
      keyFile: file('server.key'),
    },
    selfSigned: { cert: read('self.pem'), key: read('self.key'), certFile: file('self.pem') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

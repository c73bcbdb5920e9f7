/**
 * Certificates for TLS tests, made with the `openssl` CLI into a temporary folder at test time (no key is
 * committed): a test CA, a server certificate it signs for localhost and 127.0.0.1, a client certificate
 * it signs (for mutual TLS), a self-signed server certificate for the same names, as an on-premises SQL
 * Server makes for itself, and a second CA that signed none of them (a client trusting it trusts nothing
 * here).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateFiles {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export interface TestCertificates {
  dir: string;
  /** The CA's certificate, PEM: what a client trusts. */
  caFile: string;
  ca: string;
  /** Signed by the CA, for DNS:localhost and IP:127.0.0.1 (PEM, and the files holding them). */
  server: CertificateFiles;
  /** Signed by the CA, for client authentication (CN=migrator-worker). */
  client: CertificateFiles;
  /** Self-signed, for the same names as `server`. */
  selfSigned: { cert: string; key: string; certFile: string };
  /** Another CA's certificate file: it signed nothing above. */
  otherCaFile: string;
  remove(): void;
}

const SERVER_NAMES = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  const file = (name: string) => join(dir, name);
  const read = (name: string) => readFileSync(file(name), 'utf8');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string) =>
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file(name));
  const ca = (name: string, subject: string) => {
    key(`${name}.key`);
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      file(`${name}.key`),
      '-subj',
      subject,
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      file(`${name}.pem`),
    );
  };
  /** A key and a certificate the test CA signs, with the given extensions. */
  const signed = (name: string, subject: string, extensions: string): CertificateFiles => {
    key(`${name}.key`);
    openssl('req', '-new', '-key', file(`${name}.key`), '-subj', subject, '-out', file(`${name}.csr`));
    writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.pem`),
    );
    return {
      cert: read(`${name}.pem`),
      key: read(`${name}.key`),
      certFile: file(`${name}.pem`),
      keyFile: file(`${name}.key`),
    };
  };

  ca('ca', '/CN=Migrator Test CA');
  ca('other-ca', '/CN=Another Test CA');
  const server = signed('server', '/CN=localhost', `${SERVER_NAMES}\nextendedKeyUsage=serverAuth\n`);
  const client = signed('client', '/CN=migrator-worker', 'extendedKeyUsage=clientAuth\n');
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
  return {
    dir,
    caFile: file('ca.pem'),
    ca: read('ca.pem'),
    server,
    client,
    selfSigned: { cert: read('self.pem'), key: read('self.key'), certFile: file('self.pem') },
    otherCaFile: file('other-ca.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

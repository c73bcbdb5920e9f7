/**
 * Temporal over TLS and mutual TLS. `temporal server start-dev` has no TLS options, so the worker and the
 * CLI reach the shared dev server only through TLS-terminating proxies on loopback (test/support/tls-proxy.ts)
 * with a certificate from a test CA made at test time: one that any TLS client may use, one that demands a
 * client certificate the CA signed. Whole runs go through each; a CA that did not sign the server's
 * certificate, and a missing client certificate, fail the worker and the CLI at once with what to do,
 * where the SDK's client alone waits out its connect timeout and says "Failed to connect before the deadline".
 */
import { runCheck } from '../../src/cli/check';
import { CannotConnectError, exitCodeForError, EXIT_CODES } from '../../src/cli/exit-codes';
import { startRun, type Io } from '../../src/cli/run-commands';
import type { MigratorConfig } from '../../src/config/schema';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedSampleData } from '../../scripts/sample-data';
import { startApiKeyProxy, type ApiKeyProxy } from '../support/api-key-proxy';
import { capture } from '../support/capture';
import { createMigrationEnvironment, SECRETS_ENV, type MigrationEnvironment } from '../support/migration-env';
import { temporalAddress } from '../support/temporal';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy';

const CUSTOMERS = 200;
const API_KEY = 'tmprl-test-api-key-5f0c2a91e4';

/** What the SDK alone takes to give up on a refused handshake (the CLI's connect timeout, 10 s). */
const AT_ONCE_MS = 3_000;

function captureIo(): { io: Io; out: () => string; err: () => string } {
  const out = capture();
  const err = capture();
  return { io: { out: out.out, err: err.out }, out: out.text, err: err.text };
}

async function failure(promise: Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => new Error('expected a failure'),
    (err: Error) => err,
  );
  return { error, ms: Date.now() - started };
}

describe('Temporal over TLS and mutual TLS', () => {
  let certs: TestCertificates;
  let env: MigrationEnvironment;
  let tls: TlsProxy;
  let mtls: TlsProxy;
  let cloud: ApiKeyProxy;
  const saved = { ...process.env };

  beforeAll(async () => {
    // The CLI reads secrets from its own environment, as it would in a shell.
    Object.assign(process.env, SECRETS_ENV);
    certs = makeTestCertificates();
    env = await createMigrationEnvironment([]);
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: 0 });
    const server = { cert: certs.server.cert, key: certs.server.key };
    tls = await startTlsProxy(temporalAddress(), server);
    mtls = await startTlsProxy(temporalAddress(), { ...server, clientCa: certs.ca });
    cloud = await startApiKeyProxy(temporalAddress(), { ...server, apiKey: API_KEY });
  });
  afterAll(async () => {
    process.env = saved;
    await env?.close();
    await Promise.allSettled([tls?.close(), mtls?.close(), cloud?.close()]);
    certs?.remove();
  });

  /** A config reaching Temporal at `address` with these TLS options, on a task queue and schema of its own. */
  function configured(
    name: string,
    address: string,
    temporalTls: Record<string, string>,
    more: Record<string, unknown> = {},
  ): MigratorConfig {
    return env.config({
      temporal: {
        address,
        tls: temporalTls,
        taskQueue: `temporal-tls-${name.toLowerCase()}-${Date.now()}`,
        ...more,
      },
      target: { schema: name },
      migration: { tables: ['dbo.customers'] },
    });
  }

  /** Starts a worker from `config`, runs `start --wait` with it, and returns what the command printed. */
  async function migrate(config: MigratorConfig): Promise<string> {
    await env.startWorker(config);
    const started = captureIo();
    expect(await startRun({ config: env.configFile(config), wait: true }, started.io)).toBe(
      EXIT_CODES.succeeded,
    );
    return started.out() + started.err();
  }

  /** The worker, then the CLI, fail with `expected` within AT_ONCE_MS; the CLI's error for more checks. */
  async function refusedAtOnce(config: MigratorConfig, expected: string): Promise<Error> {
    const worker = await failure(env.startWorker(config));
    expect(worker.error.message).toBe(expected);
    expect(worker.ms).toBeLessThan(AT_ONCE_MS);
    const cli = await failure(startRun({ config: env.configFile(config) }, captureIo().io));
    expect(cli.error.message).toBe(expected);
    expect(cli.ms).toBeLessThan(AT_ONCE_MS);
    return cli.error;
  }

  /** A file holding an API key, as a secret mounted into a container. */
  function keyFile(name: string, key: string): string {
    const path = join(certs.dir, name);
    writeFileSync(path, `${key}\n`, { mode: 0o600 });
    return path;
  }

  it('migrates a table with the worker and the CLI reaching Temporal only through TLS', async () => {
    const before = tls.secureConnections();
    const out = await migrate(configured('TEMPORAL_TLS', tls.address, { caFile: certs.caFile }));
    expect(out).toContain('- Status: **succeeded**');
    expect(out).toContain(
      `| dbo.customers | STEVE_MCP.TEMPORAL_TLS.CUSTOMERS | published (created) | ${CUSTOMERS} → ${CUSTOMERS} |`,
    );
    // The worker's connection and the CLI's (and the CLI's probe).
    expect(tls.secureConnections() - before).toBeGreaterThanOrEqual(3);
    const [count] = await env.snowflakeRows<{ N: string }>(
      'SELECT COUNT(*) AS N FROM STEVE_MCP.TEMPORAL_TLS.CUSTOMERS WHERE IS_MIGRATED',
    );
    expect(count!.N).toBe(String(CUSTOMERS));
  });

  it('migrates a table through mutual TLS with a client certificate, and check says so', async () => {
    const config = configured('TEMPORAL_MTLS', mtls.address, {
      caFile: certs.caFile,
      clientCertFile: certs.client.certFile,
      clientKeyFile: certs.client.keyFile,
      // The proxy listens on 127.0.0.1; its certificate names localhost too.
      serverName: 'localhost',
    });
    const out = await migrate(config);
    expect(out).toContain('- Status: **succeeded**');
    expect(mtls.clientNames.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mtls.clientNames)).toEqual(new Set(['migrator-worker']));

    const checked = capture();
    await runCheck(env.configFile(config), {}, checked.out);
    expect(checked.text()).toContain(`ok   Temporal at ${mtls.address}, namespace default\n`);
    expect(checked.text()).toContain(`ok   1 worker(s) poll the task queue ${config.temporal.taskQueue}\n`);
  });

  it('a CA that did not sign the server certificate fails the worker and the CLI at once, saying so', async () => {
    const config = configured('TEMPORAL_WRONG_CA', tls.address, { caFile: certs.otherCaFile });
    const expected =
      `Temporal's TLS certificate at ${tls.address} was refused (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to ` +
      `verify the first certificate): the CA in temporal.tls.caFile (${certs.otherCaFile}) did not sign it. ` +
      "What to do: name the CA that signed the server's certificate in temporal.tls.caFile (PEM).";

    const cli = await refusedAtOnce(config, expected);
    expect(cli).toBeInstanceOf(CannotConnectError);
    expect(exitCodeForError(cli)).toBe(EXIT_CODES.cannotConnect);
  });

  it('a missing client certificate fails the worker and the CLI at once, saying so', async () => {
    const config = configured('TEMPORAL_NO_CERT', mtls.address, { caFile: certs.caFile });
    const expected =
      `Temporal at ${mtls.address} requires a client certificate (mutual TLS) and none was given ` +
      '(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: tlsv13 alert certificate required). What to do: set ' +
      'temporal.tls.clientCertFile and temporal.tls.clientKeyFile to a certificate and its key signed by a CA ' +
      'the server trusts for clients (for Temporal Cloud: the CA certificate registered with the namespace).';

    const cli = await refusedAtOnce(config, expected);
    expect(cli).toBeInstanceOf(CannotConnectError);
  });

  it('TLS towards a server without TLS fails at once, saying so', async () => {
    const config = configured('TEMPORAL_PLAIN', temporalAddress(), { caFile: certs.caFile });
    const expected =
      `Temporal at ${temporalAddress()} does not answer in TLS (ERR_SSL_WRONG_VERSION_NUMBER: wrong version number). ` +
      'What to do: check the port in temporal.address; for a server without TLS, remove temporal.tls (and temporal.apiKey).';
    await refusedAtOnce(config, expected);
  });

  it('migrates a table with an API key, as Temporal Cloud takes it, over TLS', async () => {
    const config = configured(
      'TEMPORAL_API_KEY',
      cloud.address,
      { caFile: certs.caFile },
      { apiKey: { file: keyFile('api-key', API_KEY) } },
    );
    const out = await migrate(config);
    expect(out).toContain('- Status: **succeeded**');
    expect(out).not.toContain(API_KEY);
    expect(cloud.relayed()).toBeGreaterThan(0);
    expect(cloud.refused()).toBe(0);
  });

  it('a wrong API key fails the worker and the CLI at once, naming where the key came from', async () => {
    const file = keyFile('wrong-api-key', 'tmprl-not-the-key');
    const config = configured(
      'TEMPORAL_WRONG_KEY',
      cloud.address,
      { caFile: certs.caFile },
      { apiKey: { file } },
    );
    const expected =
      `Temporal at ${cloud.address} refused the API key in the file ${file} (UNAUTHENTICATED: missing or unknown API key). ` +
      'What to do: use a key of a user or service account with access to namespace default, neither expired nor ' +
      'disabled, and the endpoint for API keys in temporal.address (Temporal Cloud: <region>.<cloud provider>.api.temporal.io:7233).';

    const cli = await refusedAtOnce(config, expected);
    expect(cli).toBeInstanceOf(CannotConnectError);
  });

  it('no API key where the server requires one says what to set', async () => {
    const config = configured('TEMPORAL_NO_KEY', cloud.address, { caFile: certs.caFile });
    const cli = await failure(startRun({ config: env.configFile(config) }, captureIo().io));
    expect(cli.error.message).toBe(
      `Temporal at ${cloud.address} requires credentials this client did not send (UNAUTHENTICATED: missing or unknown API key). ` +
        'What to do: for a namespace with API key authentication, set temporal.apiKey (the key in TEMPORAL_API_KEY); ' +
        'for one with mutual TLS, temporal.tls.clientCertFile and temporal.tls.clientKeyFile.',
    );
    expect(cli.ms).toBeLessThan(AT_ONCE_MS);
  });
});

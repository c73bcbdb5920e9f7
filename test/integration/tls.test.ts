/**
 * Whole runs over TLS to SQL Server: the stand-in has a certificate from a test CA (made by `openssl` at
 * test time) and Force Encryption on, so nothing reaches it unencrypted. A run trusting the CA through
 * source.caFile copies every value, over TDS 7.4 encryption and over TDS 8.0 (strict); a run that does not
 * trust the certificate, or does not encrypt, fails at once with what to do instead of waiting it out as
 * an outage (source.outageToleranceMinutes).
 */
import type { ApplicationFailure } from '@temporalio/client';
import { customerRows, orderRows, seedSampleData } from '../../scripts/sample-data';
import { hintFor } from '../../src/contracts/errors';
import { createMigrationEnvironment, type MigrationEnvironment } from '../support/migration-env';
import { canonicalRows, canonicalTargetRows, SAMPLE_TABLES, selectAllQuery } from '../support/target-values';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates';

const CUSTOMERS = 300;
const ORDERS = 3_000;

describe('runs over TLS to SQL Server', () => {
  let certs: TestCertificates;
  let env: MigrationEnvironment;

  beforeAll(async () => {
    certs = makeTestCertificates();
    env = await createMigrationEnvironment([], { sqlserver: { tls: certs.server, forceEncryption: true } });
    await seedSampleData(env.sqlserver, { customers: CUSTOMERS, orders: ORDERS });
  });
  afterAll(async () => {
    await env?.close();
    certs?.remove();
  });

  /** A config on a task queue and target schema of its own, and a worker built from it. */
  async function configured(name: string, source: Record<string, unknown>, tables?: string[]) {
    const config = env.config({
      source: { trustServerCertificate: false, ...source },
      target: { schema: name },
      temporal: { taskQueue: `tls-${name.toLowerCase()}-${Date.now()}` },
      ...(tables ? { migration: { tables } } : {}),
    });
    await env.startWorker(config);
    return config;
  }

  it('copies every value over TDS 7.4 encryption with the CA named in source.caFile', async () => {
    const config = await configured('TLS', { encrypt: true, caFile: certs.caFile });
    const summary = await env.summary(await env.startRun(config));
    expect(summary.status).toBe('succeeded');
    expect(summary.tables.map((t) => [t.source, t.state, t.rowsCopied])).toEqual([
      ['dbo.customers', 'published', CUSTOMERS],
      ['dbo.orders', 'published', ORDERS],
    ]);
    expect(summary.tables.every((t) => t.validation?.passed)).toBe(true);
    const orders = await env.snowflakeRows(selectAllQuery(SAMPLE_TABLES.orders, 'STEVE_MCP', 'TLS'));
    expect(canonicalTargetRows(SAMPLE_TABLES.orders, orders)).toEqual(
      canonicalRows(SAMPLE_TABLES.orders, orderRows(ORDERS, CUSTOMERS)),
    );
  });

  it("copies every value over TDS 8.0 (encrypt: 'strict')", async () => {
    const config = await configured('TLS_STRICT', { encrypt: 'strict', caFile: certs.caFile }, [
      'dbo.customers',
    ]);
    const summary = await env.summary(await env.startRun(config));
    expect(summary.status).toBe('succeeded');
    const customers = await env.snowflakeRows(
      selectAllQuery(SAMPLE_TABLES.customers, 'STEVE_MCP', 'TLS_STRICT'),
    );
    expect(canonicalTargetRows(SAMPLE_TABLES.customers, customers)).toEqual(
      canonicalRows(SAMPLE_TABLES.customers, customerRows(CUSTOMERS)),
    );
  });

  it('fails at once on a certificate this machine does not trust, saying what to do', async () => {
    const config = await configured('TLS_UNTRUSTED', { encrypt: true }, ['dbo.customers']);
    const started = Date.now();
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(failure.type).toBe('SourceCertificateRejected');
    expect(failure.message).toMatch(
      /^SQL Server's TLS certificate was refused \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): .*unable to verify the first certificate\nWhat to do: /,
    );
    expect(failure.message).toContain(hintFor('SourceCertificateRejected'));
  });

  it('fails at once when SQL Server requires encryption and source.encrypt is false', async () => {
    const config = await configured('TLS_OFF', { encrypt: false }, ['dbo.customers']);
    const failure = (await env.outcome(await env.startRun(config))) as ApplicationFailure;
    expect(failure.type).toBe('SourceEncryptionRequired');
    expect(failure.message).toBe(
      "SQL Server requires encryption: Server requires encryption, set 'encrypt' config option to true." +
        `\nWhat to do: ${hintFor('SourceEncryptionRequired')}`,
    );
  });
});

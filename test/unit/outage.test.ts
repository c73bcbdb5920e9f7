/**
 * Which driver errors are an outage the run waits out (and which must still fail at once), and how
 * long it waits between calls.
 */
import { outageDelayMs, withinTolerance } from '../../src/contracts/outage';
import { isTargetOutage } from '../../src/snowflake/outage';
import { isSourceOutage } from '../../src/sqlserver/outage';
import { classifySqlServerError } from '../../src/sqlserver/errors';
import { hintFor } from '../../src/contracts/errors';

/** An error shaped as mssql raises it. */
const mssqlError = (name: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message ?? name)), { name, ...fields });

describe('SQL Server outages', () => {
  it.each([
    [
      'a connection reset',
      mssqlError('ConnectionError', { code: 'ESOCKET', message: 'Connection lost - read ECONNRESET' }),
    ],
    [
      'a refused connection',
      mssqlError('ConnectionError', { code: 'ESOCKET', message: 'connect ECONNREFUSED' }),
    ],
    ['no connection in time', mssqlError('ConnectionError', { code: 'ETIMEOUT' })],
    ['a connection closed under a request', mssqlError('RequestError', { code: 'ECONNCLOSED' })],
    [
      'a request whose socket was reset',
      mssqlError('RequestError', { code: 'EREQUEST', originalError: { code: 'ECONNRESET' } }),
    ],
    ['a server starting after an update', mssqlError('ConnectionError', { code: 'ELOGIN', number: 18401 })],
  ])('%s is an outage', (_, err) => {
    expect(isSourceOutage(err)).toBe(true);
  });

  it.each([
    ['a wrong password', mssqlError('ConnectionError', { code: 'ELOGIN', number: 18456 })],
    ['a login error without a number', mssqlError('ConnectionError', { code: 'ELOGIN' })],
    ['a slow query', mssqlError('RequestError', { code: 'ETIMEOUT' })],
    [
      'a host name that does not resolve',
      mssqlError('ConnectionError', {
        code: 'ESOCKET',
        originalError: { code: 'ESOCKET', cause: { code: 'ENOTFOUND' } },
      }),
    ],
    [
      'a self-signed certificate not trusted',
      mssqlError('ConnectionError', {
        code: 'ESOCKET',
        originalError: { code: 'ESOCKET', cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } },
      }),
    ],
    [
      'a certificate for another host',
      mssqlError('ConnectionError', {
        code: 'ESOCKET',
        originalError: { cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' } },
      }),
    ],
    ['a deadlock', mssqlError('RequestError', { code: 'EREQUEST', number: 1205 })],
    ['a socket error of unknown origin', Object.assign(new Error('reset'), { code: 'ECONNRESET' })],
    ['not an error', undefined],
  ])('%s is not', (_, err) => {
    expect(isSourceOutage(err)).toBe(false);
  });
});

describe('Snowflake outages', () => {
  it.each([
    ['could not reach Snowflake', { code: 401001, cause: { code: 'ECONNREFUSED' } }],
    ['HTTP 503 after the driver retried', { code: 401002 }],
    ['a session disconnected under the statement', { code: 407002 }],
    ['a session check Snowflake did not answer', { code: 'ETIMEDOUT' }],
  ])('%s is an outage', (_, err) => {
    expect(isTargetOutage(err)).toBe(true);
  });

  it.each([
    ['a wrong password', { code: '390100' }],
    ['a missing object', { code: '002003' }],
    ['a SQL error', { code: '001003' }],
  ])('%s is not', (_, err) => {
    expect(isTargetOutage(err)).toBe(false);
  });
});

describe('waiting out an outage', () => {
  it('waits 1 s doubling to at most 30 s between calls', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(outageDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('calls again only while the next call starts within the tolerance from the first failure', () => {
    const since = 1_000_000;
    expect(withinTolerance(since, since + 50_000, 10_000, 1)).toBe(true);
    expect(withinTolerance(since, since + 50_001, 10_000, 1)).toBe(false);
  });
});

describe('SQL Server configuration errors a wait would not fix', () => {
  it('names an unresolvable host and a refused certificate, each with what to do', () => {
    const dns = Object.assign(
      new Error('Failed to connect to sql.example:1433 - getaddrinfo ENOTFOUND sql.example'),
      {
        name: 'ConnectionError',
        code: 'ESOCKET',
        originalError: { code: 'ESOCKET', cause: { code: 'ENOTFOUND' } },
      },
    );
    expect(classifySqlServerError(dns)).toMatchObject({
      type: 'SourceHostNotFound',
      message:
        "SQL Server's host name does not resolve: Failed to connect to sql.example:1433 - getaddrinfo ENOTFOUND sql.example",
    });
    const tls = Object.assign(new Error('Failed to connect: self-signed certificate'), {
      name: 'ConnectionError',
      code: 'ESOCKET',
      originalError: { cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } },
    });
    expect(classifySqlServerError(tls)).toMatchObject({
      type: 'SourceCertificateRejected',
      message:
        "SQL Server's TLS certificate was refused (DEPTH_ZERO_SELF_SIGNED_CERT): Failed to connect: self-signed certificate",
    });
    expect(hintFor('SourceCertificateRejected')).toMatch(/trustServerCertificate: true/);
  });
});

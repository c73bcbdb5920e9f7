/**
 * A SQL Server stand-in for tests and demos: a TDS server that `mssql`/`tedious` and FreeTDS talk to over a
 * socket, backed by DuckDB. See README.md in this folder.
 */
import { Database } from './engine/database';
import { startBrowser } from './browser';
import { EntraTokens, type EntraTenant } from './entra';
import { DISCARD, Session } from './engine/session';
import { SqlError } from './errors';
import { TrafficMeter, type Traffic } from '../shared/traffic';
import { Faults, type FaultControls } from './faults';
import { PRODUCT_VERSION, SERVER_NAME, TdsServer, VERSION_TEXT } from './server';
import { tlsContexts, type TlsCredentials } from './tds/tls';
import { splitBatches } from './tsql/lexer';
import { parseObjectName } from './tsql/parser';

export interface SqlServerEmulatorOptions {
  /** 0 or undefined: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 'sa'. */
  user?: string;
  password: string;
  /** Databases that exist; 'master' always does. The first is where exec() and bulkInsert() run. */
  databases?: string[];
  /** DuckDB file that keeps the data between runs; default in memory. */
  dataFile?: string;
  /** T-SQL scripts (GO separates batches) run before the server accepts connections. */
  seed?: string[];
  /** Receives a line for each notable event (refused logins, protocol errors, faults). */
  log?: (line: string) => void;
  /**
   * The server certificate (chain) and key, PEM: clients may then encrypt, in PRELOGIN (TDS 7.x) or
   * TLS first (TDS 8.0, strict). Without it PRELOGIN is answered with ENCRYPT_NOT_SUP.
   */
  tls?: TlsCredentials;
  /** SQL Server's Force Encryption (needs `tls`): a client that cannot encrypt is refused. */
  forceEncryption?: boolean;
  /**
   * A Microsoft Entra tenant whose access tokens log in (tedious' azure-active-directory-access-token):
   * the public key it signs them with, its ID, and the UPN of the server's Entra admin (dbo everywhere,
   * the one who can CREATE USER ... FROM EXTERNAL PROVIDER). See README.md, "Microsoft Entra ID".
   */
  entraId?: EntraTenant & { admin: string };
  /**
   * SQL Server Browser on this UDP port (real servers: 1434), announcing the stand-in as the named
   * instance `instanceName` on its TCP port (see browser.ts).
   */
  browser?: { port: number; instanceName: string };
}

export interface SqlServerEmulator {
  host: string;
  port: number;
  user: string;
  /** The UDP port SQL Server Browser answers on, with the `browser` option. */
  browserPort?: number;
  /** Runs a T-SQL script in-process (batches separated by GO). */
  exec(script: string): Promise<void>;
  /**
   * Loads rows fast, in-process, in one transaction. `table` as in T-SQL ('dbo.orders',
   * '[db].[dbo].[order lines]'); values are null, boolean, number, bigint, string (decimal, date/time and
   * uniqueidentifier as SQL Server literal text) or Buffer, converted as CAST would. IDENTITY columns may be
   * given explicitly. Returns the number of rows.
   */
  bulkInsert(
    table: string,
    columns: string[],
    rows: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  ): Promise<number>;
  faults: FaultControls;
  /** The requests (round trips) and statements clients sent since the start or the last reset. */
  traffic(reset?: boolean): Traffic;
  /**
   * Change tracking's cleanup, as if the retention period had passed for every change committed so far in
   * `database` (the first of `databases` by default): those changes are removed and each tracked table's
   * minimum valid version moves up to the current version. SQL Server runs it in the background.
   */
  cleanupChangeTracking(database?: string): Promise<void>;
  close(): Promise<void>;
}

/** In-process failures carry SQL Server's error number, like the driver's RequestError. */
function clientError(e: unknown): unknown {
  if (!(e instanceof SqlError)) return e;
  return Object.assign(new Error(`SQL Server stand-in: error ${e.number}: ${e.message}`), {
    number: e.number,
  });
}

export async function startSqlServerEmulator(options: SqlServerEmulatorOptions): Promise<SqlServerEmulator> {
  const databases = options.databases ?? [];
  const defaultDatabase = databases[0] ?? 'master';
  const user = options.user ?? 'sa';
  const log = options.log ?? (() => undefined);
  if (options.forceEncryption && !options.tls) throw new Error('forceEncryption needs a certificate (tls)');
  // Made before anything starts, so a certificate that does not match its key fails here.
  const tls = options.tls ? tlsContexts(options.tls) : undefined;
  const db = await Database.open(databases, options.dataFile);
  const faults = new Faults();
  const traffic = new TrafficMeter();
  let nextSpid = 1000;
  const session = async (): Promise<Session> =>
    new Session(
      db,
      await db.connect(),
      {
        spid: nextSpid++,
        user,
        admin: true,
        entra: false,
        // exec() and bulkInsert() run in-process, not for a client.
        hostName: '',
        appName: 'SQL Server stand-in',
        serverName: SERVER_NAME,
        version: VERSION_TEXT,
        productVersion: PRODUCT_VERSION,
      },
      defaultDatabase,
    );

  const exec = async (script: string): Promise<void> => {
    const s = await session();
    try {
      for (const batch of splitBatches(script)) await s.executeBatch(batch, DISCARD);
    } catch (e) {
      throw clientError(e);
    } finally {
      await s.close();
    }
  };

  try {
    for (const script of options.seed ?? []) await exec(script);
  } catch (e) {
    db.close();
    throw e;
  }
  const server = new TdsServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    user,
    password: options.password,
    defaultDatabase: 'master',
    db,
    faults,
    traffic,
    log,
    tls,
    forceEncryption: options.forceEncryption ?? false,
    entra: options.entraId && { tokens: new EntraTokens(options.entraId), admin: options.entraId.admin },
  });
  const address = await server.listen();
  const browser =
    options.browser &&
    (await startBrowser(address.host, options.browser.port, {
      serverName: SERVER_NAME,
      instanceName: options.browser.instanceName,
      version: PRODUCT_VERSION,
      tcpPort: address.port,
    }).catch(async (e: unknown) => {
      await server.close();
      db.close();
      throw e;
    }));

  return {
    host: address.host,
    port: address.port,
    ...(browser ? { browserPort: browser.address().port } : {}),
    user,
    exec,
    async bulkInsert(table, columns, rows) {
      const s = await session();
      try {
        return await s.bulkInsert(parseObjectName(table), columns, rows);
      } catch (e) {
        throw clientError(e);
      } finally {
        await s.close();
      }
    },
    faults,
    traffic: (reset) => traffic.read(reset),
    async cleanupChangeTracking(database = defaultDatabase) {
      try {
        await db.cleanupChangeTracking(database);
      } catch (e) {
        throw clientError(e);
      }
    },
    async close() {
      browser?.close();
      await server.close();
      db.close();
    },
  };
}

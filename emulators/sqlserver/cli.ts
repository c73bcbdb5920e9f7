/**
 * `npm run emulator:sqlserver -- --port 14330 --password <pw> [--seed file.sql ...]`: the stand-in as a
 * process. Prints exactly one line, `listening on <host>:<port>`, once it accepts connections.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { applyFaultSpec } from './faults';
import { startSqlServerEmulator } from './index';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('a port number (0 for any free port)');
  return n;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('emulator:sqlserver')
    .description(
      'A SQL Server stand-in (TDS over DuckDB) for tests and demos; clients connect with encrypt: false unless it has a certificate (--tls-cert).',
    )
    .option('--port <port>', 'port to listen on (0: a free one)', port, 14330)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--user <user>', 'the login name', 'sa')
    .option('--password <password>', 'the login password (or set MSSQL_SA_PASSWORD)')
    .option('--database <name>', 'a database that exists (repeatable; master always does)', collect, [])
    .option(
      '--seed <file.sql>',
      'a T-SQL script (GO separates batches) run before listening (repeatable)',
      collect,
      [],
    )
    .option('--data <file>', 'a DuckDB file that keeps the data between runs (default: in memory)')
    .option('--tls-cert <file.pem>', 'server certificate (chain), PEM: clients may encrypt (needs --tls-key)')
    .option('--tls-key <file.pem>', "the certificate's private key, PEM")
    .option('--force-encryption', "SQL Server's Force Encryption: refuse clients that cannot encrypt")
    .option(
      '--fault <spec>',
      'inject a fault (repeatable): drop:rows=N,match=RE[,times=N] | fail:match=RE[,count=N][,error=deadlock|NUMBER]' +
        ' | latency:ms=N | refuse-logins:count=N | refuse-logins:forMs=N',
      collect,
      [],
    )
    .option('--verbose', 'log refused logins, protocol errors and faults to stderr')
    .showHelpAfterError();
  program.parse();
  const options = program.opts<{
    port: number;
    host: string;
    user: string;
    password?: string;
    database: string[];
    seed: string[];
    data?: string;
    fault: string[];
    verbose?: boolean;
    tlsCert?: string;
    tlsKey?: string;
    forceEncryption?: boolean;
  }>();
  const password = options.password ?? process.env.MSSQL_SA_PASSWORD;
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined))
    throw new Error('error: --tls-cert and --tls-key go together');
  if (!password) throw new Error('error: a password is required: --password <password> or MSSQL_SA_PASSWORD');

  const emulator = await startSqlServerEmulator({
    port: options.port,
    host: options.host,
    user: options.user,
    password,
    databases: options.database,
    dataFile: options.data,
    seed: options.seed.map((file) => readFileSync(file, 'utf8')),
    log: options.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    tls:
      options.tlsCert && options.tlsKey
        ? { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }
        : undefined,
    forceEncryption: options.forceEncryption,
  });
  for (const spec of options.fault) applyFaultSpec(emulator.faults, spec);
  process.stdout.write(`listening on ${emulator.host}:${emulator.port}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

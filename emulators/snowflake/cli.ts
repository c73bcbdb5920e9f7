/**
 * npm run emulator:snowflake -- --port 18080 [--data <file>] ...
 * Prints exactly one line, `listening on http://127.0.0.1:<port>`, once it accepts connections, and
 * stops cleanly on SIGINT or SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { startSnowflakeEmulator } from './index';

const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};

const program = new Command()
  .name('emulator:snowflake')
  .description('A Snowflake stand-in for snowflake-sdk: REST API over HTTP, data in DuckDB.')
  .option('--port <port>', 'port to listen on (0: a free port)', integer, 0)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--data <file>', 'DuckDB file that keeps the data between runs (default: in memory)')
  .option('--account <name>', 'account name clients pass as `account`', 'EMULATOR')
  .option('--user <name>', 'the user clients log in as', 'EMULATOR')
  .option('--password <password>', "the user's password (default: $SNOWFLAKE_PASSWORD, else 'emulator')")
  .option(
    '--public-key <file>',
    "PEM file with the user's RSA public key, for key-pair (SNOWFLAKE_JWT) login",
  )
  .option('--role <name>', "the user's default role", 'PUBLIC')
  .option('--default-warehouse <name>', "the user's DEFAULT_WAREHOUSE (default: none, as in Snowflake)")
  .option(
    '--admin-sql <statement>',
    'run at start-up as ACCOUNTADMIN, e.g. "ALTER ACCOUNT SET QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE" (repeatable)',
    (value: string, previous: string[]) => [...previous, value],
    [] as string[],
  )
  .option('--stage-dir <dir>', 'folder for stage files (default: a temporary folder removed on exit)')
  .option(
    '--fail-requests <status:count[:path]>',
    'answer the next <count> requests (whose path contains <path>) with HTTP <status>',
  )
  .option(
    '--drop-connection <PUT|COPY[:count]>',
    'drop the connection while the next PUT or COPY statements run',
  )
  .option('--latency <ms>', 'delay every answer', integer)
  .option('--copy-file-ms <ms>', 'delay COPY INTO answers by this much per file loaded', integer)
  .addHelpText(
    'after',
    '\nFaults can also be switched while running: POST /emulator/faults with a JSON body such as\n' +
      '{"httpErrors": {"status": 503, "count": 2}, "expireSessions": true, "dropConnection": {"during": "COPY"},\n' +
      ' "latency": 200, "copyFileMs": 200, "clear": true}',
  );

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    port: number;
    host: string;
    data?: string;
    account: string;
    user: string;
    password?: string;
    publicKey?: string;
    role: string;
    defaultWarehouse?: string;
    adminSql: string[];
    stageDir?: string;
    failRequests?: string;
    dropConnection?: string;
    latency?: number;
    copyFileMs?: number;
  }>();
  const publicKeyPem = opts.publicKey ? readFileSync(opts.publicKey, 'utf8') : undefined;
  const password = opts.password ?? process.env.SNOWFLAKE_PASSWORD ?? (publicKeyPem ? undefined : 'emulator');
  const emulator = await startSnowflakeEmulator({
    port: opts.port,
    host: opts.host,
    account: opts.account,
    dataFile: opts.data,
    stageDir: opts.stageDir,
    users: [
      {
        name: opts.user,
        password,
        publicKeyPem,
        defaultRole: opts.role,
        defaultWarehouse: opts.defaultWarehouse,
      },
    ],
    adminSql: opts.adminSql,
  });
  if (opts.failRequests) {
    const [status, count, path] = opts.failRequests.split(':');
    emulator.faults.httpErrors({ status: Number(status) as 503, count: Number(count ?? 1), path });
  }
  if (opts.dropConnection) {
    const [during, count] = opts.dropConnection.split(':');
    if (during !== 'PUT' && during !== 'COPY')
      throw new InvalidArgumentError('--drop-connection takes PUT or COPY');
    emulator.faults.dropConnection({ during, count: Number(count ?? 1) });
  }
  if (opts.latency) emulator.faults.setLatency(opts.latency);
  if (opts.copyFileMs) emulator.faults.setCopyFileCost(opts.copyFileMs);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`listening on ${emulator.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

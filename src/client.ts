/**
 * The command line for migrations: start runs, watch and steer them, read their reports, check a config
 * and preview a run. Installed as `sqlserver-snowflake-migrator` (bin/); --help after any command.
 */
import './quiet-warnings';
import { Command, Option } from 'commander';
import { version } from '../package.json';
import { runCheck } from './cli/check';
import { COMMAND } from './cli/command';
import { runDiscover } from './cli/discover';
import { EXIT_CODES_HELP, exitCodeForError } from './cli/exit-codes';
import { runPlan } from './cli/plan';
import { cancel, report, signal, startRun, status, type ConnectionFlags, type Io } from './cli/run-commands';
import { runVerify } from './cli/verify';

const program = new Command(COMMAND)
  .description('Starts, watches and steers SQL Server to Snowflake migrations orchestrated by Temporal.')
  .version(version)
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nSecrets come from the environment variables the config names (MSSQL_PASSWORD, SNOWFLAKE_PASSWORD by default).\n' +
      EXIT_CODES_HELP,
  );

/** Commands about an existing run connect with the config's temporal section, or these flags. */
function runCommand(name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('<workflow-id>', 'the id `start` printed, e.g. migrate-steve_mcp-data_migration-5f0c2a91e4')
    .option('--run-id <id>', 'one run of that id (runs of the same tables share it); default: the latest')
    .option('-c, --config <file>', 'config file whose temporal section to use')
    .addOption(new Option('--address <host:port>', 'Temporal address').env('TEMPORAL_ADDRESS'))
    .addOption(new Option('--namespace <name>', 'Temporal namespace').env('TEMPORAL_NAMESPACE'));
}

function exitWith(code: Promise<number>): Promise<void> {
  return code.then((c) => {
    process.exitCode = c;
  });
}

/** Standard streams, with Ctrl-C turned into an abort of the watching (the run itself goes on). */
function interactiveIo(): Io {
  const interrupted = new AbortController();
  process.once('SIGINT', () => interrupted.abort());
  return { out: process.stdout, err: process.stderr, interrupt: interrupted.signal };
}

program
  .command('start')
  .description('Starts a migration run and prints its workflow id and Web UI link.')
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .option('-w, --wait', 'show live progress and exit with the run’s outcome')
  .option('--json', 'print the workflow id and links (or, with --wait, the summary) as JSON')
  .option(
    '--retry-failed <workflow-id>',
    'migrate only the tables that run did not publish (failed, rolled back or never started), with the same config',
  )
  .action((opts: { config: string; wait?: boolean; json?: boolean; retryFailed?: string }) =>
    exitWith(startRun(opts, opts.wait ? interactiveIo() : undefined)),
  );

runCommand('status', 'Shows a run’s state and per-table progress.')
  .option('--json', 'print the state as JSON')
  .action((id: string, opts: ConnectionFlags & { json?: boolean }) => exitWith(status(id, opts)));
runCommand('pause', 'Pauses a run between batches (running batches finish).').action(
  (id: string, opts: ConnectionFlags) => exitWith(signal(id, 'pause', opts)),
);
runCommand('resume', 'Resumes a paused run.').action((id: string, opts: ConnectionFlags) =>
  exitWith(signal(id, 'resume', opts)),
);
runCommand(
  'cutover',
  'Ends a run in mode follow: each table applies the last changes, is verified whole, and ends.',
).action((id: string, opts: ConnectionFlags) => exitWith(signal(id, 'cutover', opts)));
runCommand('cancel', 'Cancels a run; what it created is rolled back.')
  .option('-w, --wait', 'wait for the rollback and show the report')
  .action((id: string, opts: ConnectionFlags & { wait?: boolean }) =>
    exitWith(cancel(id, opts, opts.wait ? interactiveIo() : undefined)),
  );
runCommand('report', 'Prints the report of a finished run (Markdown, or JSON with --json).')
  .option('--json', 'print the report as JSON')
  .action((id: string, opts: ConnectionFlags & { json?: boolean }) => exitWith(report(id, opts)));

program
  .command('check')
  .description('Validates a config file and tries the SQL Server, Snowflake and Temporal connections.')
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .option('--json', 'print the findings as JSON')
  .action((opts: { config: string; json?: boolean }) => exitWith(runCheck(opts.config, opts)));

program
  .command('discover')
  .description(
    'Lists the tables the config selects with rows, size, key and a type-fidelity verdict per column; writes nothing.',
  )
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .option('--json', 'print the report as JSON')
  .option(
    '--exact-counts',
    "count each table's rows with COUNT_BIG(*) (reads every table) instead of the catalog's estimate",
  )
  .action((opts: { config: string; json?: boolean; exactCounts?: boolean }) =>
    exitWith(runDiscover(opts.config, opts)),
  );

program
  .command('plan')
  .description('Dry run: prints the Snowflake DDL and the batch plan of each table; writes nothing.')
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .option('--batches <n>', 'how many key ranges to show per table', (v) => Number.parseInt(v, 10), 5)
  .option('--json', 'print the plan as JSON')
  .action((opts: { config: string; batches: number; json?: boolean }) =>
    exitWith(runPlan(opts.config, opts)),
  );

program
  .command('verify')
  .description(
    'Audit: compares every value of the source tables with their published targets; writes nothing.',
  )
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .option('--tables <names...>', 'only these tables of migration.tables')
  .option('--json', 'print the result as JSON')
  .action((opts: { config: string; tables?: string[]; json?: boolean }) =>
    exitWith(runVerify(opts.config, opts)),
  );

program.parseAsync().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = exitCodeForError(err);
});

/**
 * The command line for migrations: start runs, watch and steer them, read their reports, check a config
 * and preview a run. Usage: npm run migrate -- --help   (and --help after any command)
 */
import { Command, Option } from 'commander';
import { runCheck } from './cli/check';
import { runPlan } from './cli/plan';
import { cancel, report, signal, startRun, status, type ConnectionFlags } from './cli/run-commands';
import { runVerify } from './cli/verify';

const program = new Command('migrate')
  .description('Starts, watches and steers SQL Server to Snowflake migrations orchestrated by Temporal.')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nSecrets come from the environment variables the config names (MSSQL_PASSWORD, SNOWFLAKE_PASSWORD by default).\n' +
      'Exit code: 0 when the command (or the run it waited for) succeeded, 1 otherwise.',
  );

/** Commands about an existing run connect with the config's temporal section, or these flags. */
function runCommand(name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('<workflow-id>', 'the id `start` printed, e.g. migrate-20261124-101500-k3x9qa')
    .option('-c, --config <file>', 'config file whose temporal section to use')
    .addOption(new Option('--address <host:port>', 'Temporal address').env('TEMPORAL_ADDRESS'))
    .addOption(new Option('--namespace <name>', 'Temporal namespace').env('TEMPORAL_NAMESPACE'));
}

function exitWith(code: Promise<number>): Promise<void> {
  return code.then((c) => {
    process.exitCode = c;
  });
}

program
  .command('start')
  .description('Starts a migration run and prints its workflow id and Web UI link.')
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .option('-w, --wait', 'show live progress and exit with the run’s outcome')
  .action((opts: { config: string; wait?: boolean }) => exitWith(startRun(opts)));

runCommand('status', 'Shows a run’s state and per-table progress.').action(
  (id: string, opts: ConnectionFlags) => exitWith(status(id, opts)),
);
runCommand('pause', 'Pauses a run between batches (running batches finish).').action(
  (id: string, opts: ConnectionFlags) => exitWith(signal(id, 'pause', opts)),
);
runCommand('resume', 'Resumes a paused run.').action((id: string, opts: ConnectionFlags) =>
  exitWith(signal(id, 'resume', opts)),
);
runCommand('cancel', 'Cancels a run; what it created is rolled back.')
  .option('-w, --wait', 'wait for the rollback and show the report')
  .action((id: string, opts: ConnectionFlags & { wait?: boolean }) => exitWith(cancel(id, opts)));
runCommand('report', 'Prints the report of a finished run (Markdown, or JSON with --json).')
  .option('--json', 'print the report as JSON')
  .action((id: string, opts: ConnectionFlags & { json?: boolean }) => exitWith(report(id, opts)));

program
  .command('check')
  .description('Validates a config file and tries the SQL Server, Snowflake and Temporal connections.')
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .action((opts: { config: string }) => exitWith(runCheck(opts.config)));

program
  .command('plan')
  .description('Dry run: prints the Snowflake DDL and the batch plan of each table; writes nothing.')
  .requiredOption('-c, --config <file>', 'migrator config file (YAML or JSON)')
  .option('--batches <n>', 'how many key ranges to show per table', (v) => Number.parseInt(v, 10), 5)
  .action((opts: { config: string; batches: number }) => exitWith(runPlan(opts.config, opts.batches)));

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
  process.exitCode = 1;
});

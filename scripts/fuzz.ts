/**
 * npm run test:fuzz -- --runs 2000 --seed 42: the generated round-trip tests
 * (test/integration/roundtrip.property.test.ts) with more cases than `npm test` runs, through jest's
 * integration project (which starts the Temporal dev server), printing one line per case.
 */
import { spawn } from 'node:child_process';
import { Command } from 'commander';

const options = new Command('test:fuzz')
  .description('Run the generated SQL Server -> Snowflake round-trip tests with more cases')
  .option('--runs <n>', 'number of generated cases', '200')
  .option(
    '--seed <n>',
    'fast-check seed (a failure prints the seed that reproduces it)',
    String(Date.now() % 2 ** 31),
  )
  .option(
    '--shrink-seconds <n>',
    'how long a failure may shrink before the smallest case so far is reported',
    '600',
  )
  .option('--quiet', 'no line per case')
  .parse()
  .opts<{ runs: string; seed: string; shrinkSeconds: string; quiet?: boolean }>();

for (const [name, value] of Object.entries({
  runs: options.runs,
  seed: options.seed,
  'shrink-seconds': options.shrinkSeconds,
})) {
  if (!/^-?\d+$/.test(value)) {
    process.stderr.write(`--${name} must be an integer, got ${JSON.stringify(value)}\n`);
    process.exit(2);
  }
}
process.stdout.write(`generated round trips: ${options.runs} cases, seed ${options.seed}\n`);
const jest = spawn(
  process.execPath,
  [
    require.resolve('jest/bin/jest'),
    '--runInBand',
    '--selectProjects',
    'integration',
    '--testPathPatterns',
    'roundtrip\\.property',
  ],
  {
    stdio: 'inherit',
    // Its own process group: stopping this script stops jest and what jest started (the dev server).
    detached: true,
    env: {
      ...process.env,
      FUZZ_RUNS: options.runs,
      FUZZ_SEED: options.seed,
      FUZZ_SHRINK_SECONDS: options.shrinkSeconds,
      ...(options.quiet ? {} : { FUZZ_PROGRESS: '1' }),
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => process.kill(-jest.pid!, 'SIGKILL'));
}
jest.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));

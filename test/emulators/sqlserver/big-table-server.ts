/**
 * A stand-in in its own process with one big table, for measuring its memory from outside while a client
 * streams the table. Prints one JSON line ({ port, loadMs }) when ready; exits when stdin closes.
 */
import { startSqlServerEmulator } from '../../../emulators/sqlserver';

export const BIG_TABLE = `CREATE TABLE dbo.big (
  id int NOT NULL PRIMARY KEY, name nvarchar(40) NOT NULL, amount decimal(18,2) NOT NULL, created datetime2(3) NOT NULL,
  flag bit NOT NULL, qty int NOT NULL, ratio float NOT NULL, code char(8) NOT NULL, note varchar(60) NULL,
  guid uniqueidentifier NOT NULL)`;

function* rows(count: number): Generator<unknown[]> {
  for (let i = 1; i <= count; i++) {
    const hex = i.toString(16).padStart(12, '0');
    yield [
      i,
      `customer ${i}`,
      `${i % 100000}.${String(i % 100).padStart(2, '0')}`,
      `2024-01-01 00:00:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}`,
      i % 2 === 0,
      i % 1000,
      i / 7,
      `C${String(i % 1_000_000).padStart(7, '0')}`,
      i % 10 === 0 ? null : `note for row ${i}`,
      `00000000-0000-4000-8000-${hex}`,
    ];
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1_000_000);
  const emulator = await startSqlServerEmulator({
    password: process.argv[3] ?? 'Big-table_1',
    databases: ['shop'],
    seed: [BIG_TABLE],
  });
  const started = Date.now();
  await emulator.bulkInsert(
    'dbo.big',
    ['id', 'name', 'amount', 'created', 'flag', 'qty', 'ratio', 'code', 'note', 'guid'],
    rows(count),
  );
  const loadMs = Date.now() - started;
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ port: emulator.port, loadMs })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void emulator.close().then(() => process.exit(0));
  });
}

void main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});

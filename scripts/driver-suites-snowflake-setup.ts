/**
 * Creates the database and schema snowflake-connector-nodejs' integration suite logs into (it expects
 * them to exist, as on its CI account). Used by driver-suites.sh: `tsx ... <stand-in url>`.
 */
import snowflake from 'snowflake-sdk';

snowflake.configure({ logLevel: 'ERROR' } as snowflake.ConfigureOptions);

const connection = snowflake.createConnection({
  account: 'EMULATOR',
  accessUrl: process.argv[2]!,
  username: process.env.SNOWFLAKE_TEST_USER!,
  password: process.env.SNOWFLAKE_TEST_PASSWORD!,
});

function run(sqlText: string): Promise<void> {
  return new Promise((resolve, reject) =>
    connection.execute({ sqlText, complete: (e) => (e ? reject(e) : resolve()) }),
  );
}

async function main(): Promise<void> {
  await connection.connectAsync(() => undefined);
  await run(`CREATE DATABASE IF NOT EXISTS ${process.env.SNOWFLAKE_TEST_DATABASE!}`);
  await run(`CREATE SCHEMA IF NOT EXISTS ${process.env.SNOWFLAKE_TEST_SCHEMA!}`);
  await new Promise((resolve) => connection.destroy(resolve));
}

void main();

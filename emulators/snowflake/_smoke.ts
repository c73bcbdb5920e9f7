import snowflake from 'snowflake-sdk';
import { startSnowflakeEmulator } from './index';
snowflake.configure({ logLevel: 'ERROR', additionalLogToConsole: false } as any);
async function main() {
  const emu = await startSnowflakeEmulator({ users: [{ name: 'MIGRATOR', password: 'pw' }] });
  const conn = snowflake.createConnection({
    account: emu.account,
    accessUrl: emu.url,
    username: 'MIGRATOR',
    password: 'pw',
    database: 'STEVE_MCP',
    schema: 'DATA_MIGRATION',
    warehouse: 'COMPUTE_WH',
    role: 'MIGRATOR',
  } as any);
  await new Promise<void>((res, rej) => conn.connect((e) => (e ? rej(e) : res())));
  const ex = (sqlText: string, binds?: any, fetchAsString?: any) =>
    new Promise<any[]>((res, rej) =>
      conn.execute({
        sqlText,
        binds,
        fetchAsString,
        complete: (e, _s, rows) => (e ? rej(e) : res(rows ?? [])),
      }),
    );
  const run = async (sql: string, binds?: any, f?: any) => {
    try {
      console.log(sql.slice(0, 70), '=>', JSON.stringify(await ex(sql, binds, f)).slice(0, 500));
    } catch (e) {
      console.log(sql.slice(0, 70), 'ERR', (e as any).code, (e as any).sqlState, (e as Error).message);
    }
  };
  await run(
    `SELECT CURRENT_VERSION() AS VERSION, CURRENT_ACCOUNT() AS ACCOUNT, CURRENT_USER() AS USER_NAME, CURRENT_ROLE() AS ROLE_NAME, CURRENT_DATABASE() AS DB, CURRENT_SCHEMA() AS SCH`,
  );
  await run(`CREATE DATABASE IF NOT EXISTS "STEVE_MCP"`);
  await run(`CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"`);
  await run(
    `CREATE TABLE T ("ID" NUMBER(38,0), "P" NUMBER(38,10), "DT" TIMESTAMP_NTZ(9), "TZ" TIMESTAMP_TZ(9), "D" DATE, "B" BINARY, "S" VARCHAR, "T" TIME(9), "F" BOOLEAN)`,
  );
  await run(`INSERT INTO T VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    '12345678901234567890',
    '-9999999999999999999999999999.9999999999',
    '9999-12-31 23:59:59.999999999',
    '0001-01-01 00:00:00.000000001 -05:45',
    '0001-01-01',
    'DEADBEEF',
    '𝄞 x',
    '23:59:59.999999999',
    'true',
  ]);
  await run(`SELECT * FROM T`);
  await run(`SELECT * FROM T`, undefined, ['Number', 'Date', 'Buffer', 'Boolean']);
  await run(`ALTER SESSION SET TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'`);
  await run(`SELECT "TZ", TO_VARCHAR("TZ", 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM') AS X FROM T`, undefined, [
    'Date',
  ]);
  await run(`SELECT nope FROM T`);
  const rows = [];
  for (let i = 0; i < 100000; i++) rows.push([String(i), `name ${i}`]);
  await run(`CREATE TABLE BIG (ID NUMBER(10,0), NAME VARCHAR)`);
  let t = Date.now();
  await run(`INSERT INTO BIG (ID, NAME) VALUES (?, ?)`, rows);
  console.log('insert ms', Date.now() - t);
  t = Date.now();
  const all = await ex(`SELECT * FROM BIG ORDER BY ID`);
  console.log('select rows', all.length, all[99999], 'ms', Date.now() - t);
  await new Promise<void>((res) => conn.destroy(() => res()));
  await emu.close();
}
main().catch((e) => {
  console.error('FAILED', e);
  process.exit(1);
});

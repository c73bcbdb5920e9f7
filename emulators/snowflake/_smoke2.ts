import snowflake from 'snowflake-sdk';
import { gzipSync } from 'node:zlib';
import { writeFileSync, mkdtempSync } from 'node:fs';
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
      console.log(sql.slice(0, 70), '=>', JSON.stringify(await ex(sql, binds, f)).slice(0, 700));
    } catch (e) {
      console.log(sql.slice(0, 70), 'ERR', (e as any).code, (e as any).sqlState, (e as Error).message);
    }
  };
  await run(`CREATE DATABASE IF NOT EXISTS "STEVE_MCP"`);
  await run(`CREATE SCHEMA IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"`);
  await run(`CREATE STAGE IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"`);
  const cols = Array.from(
    { length: 10 },
    (_, k) => `"C${k}" ${k % 3 === 0 ? 'NUMBER(38,10)' : k % 3 === 1 ? 'VARCHAR(200)' : 'TIMESTAMP_TZ(7)'}`,
  );
  await run(`CREATE TABLE IF NOT EXISTS "STEVE_MCP"."DATA_MIGRATION"."BIG" (${cols.join(', ')})`);
  const lines: string[] = [];
  for (let i = 0; i < 100000; i++) {
    lines.push(
      Array.from({ length: 10 }, (_, k) =>
        k % 3 === 0 ? `${i}.${k}` : k % 3 === 1 ? `"name, ""${i}"""` : `2024-01-31 13:45:00.1234567 +05:45`,
      ).join(','),
    );
  }
  const dir = mkdtempSync('/tmp/mig-');
  writeFileSync(`${dir}/b000017-a2.csv.gz`, gzipSync(lines.join('\n') + '\n'));
  let t = Date.now();
  await run(
    `PUT 'file://${dir}/b000017-a2.csv.gz' @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/run-3f2a/CUSTOMERS/ AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = GZIP OVERWRITE = TRUE`,
  );
  console.log('put ms', Date.now() - t);
  await run(`LIST @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/run-3f2a/`);
  t = Date.now();
  const copy = `COPY INTO "STEVE_MCP"."DATA_MIGRATION"."BIG" FROM @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/run-3f2a/CUSTOMERS/ FILES = ('b000017-a2.csv.gz') FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '"' EMPTY_FIELD_AS_NULL = TRUE NULL_IF = () ESCAPE_UNENCLOSED_FIELD = NONE BINARY_FORMAT = HEX ENCODING = 'UTF8') ON_ERROR = ABORT_STATEMENT`;
  await run(copy);
  console.log('copy ms', Date.now() - t);
  await run(copy);
  await run(`SELECT COUNT(*) AS N, SUM("C0") AS S FROM BIG`, undefined, ['Number']);
  await run(`SELECT * FROM BIG LIMIT 1`, undefined, ['Number', 'Date']);
  await run(`REMOVE @"STEVE_MCP"."DATA_MIGRATION"."MIGRATOR_STAGE"/run-3f2a/`);
  await new Promise<void>((res) => conn.destroy(() => res()));
  await emu.close();
}
main().catch((e) => {
  console.error('FAILED', e);
  process.exit(1);
});

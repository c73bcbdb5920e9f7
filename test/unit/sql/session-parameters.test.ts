import { pinSessionParameters, queryTag, setQueryTag } from '../../../src/snowflake/session-parameters';

describe('the session parameters the migrator pins at login', () => {
  it('are one ALTER SESSION with every parameter the loads and checks rely on', () => {
    expect(pinSessionParameters(3600)).toBe(
      'ALTER SESSION SET AUTOCOMMIT = TRUE, QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE, ' +
        "DATE_INPUT_FORMAT = 'AUTO', TIME_INPUT_FORMAT = 'AUTO', TIMESTAMP_INPUT_FORMAT = 'AUTO', " +
        "BINARY_INPUT_FORMAT = 'HEX', STATEMENT_TIMEOUT_IN_SECONDS = 3600, QUERY_TAG = 'sqlserver-snowflake-migrator'",
    );
  });

  it('tag statements with the run, table and batch, quoted as a literal', () => {
    const tag = queryTag({ run: "migrate-o'brien", table: 'DB.SCH."Orders"', batch: 7, attempt: undefined });
    expect(tag).toBe('sqlserver-snowflake-migrator run=migrate-o\'brien table=DB.SCH."Orders" batch=7');
    expect(setQueryTag(tag)).toBe(
      "ALTER SESSION SET QUERY_TAG = 'sqlserver-snowflake-migrator run=migrate-o\\'brien table=DB.SCH.\"Orders\" batch=7'",
    );
    expect(queryTag({ table: 'x'.repeat(3000) })).toHaveLength(2000);
  });
});

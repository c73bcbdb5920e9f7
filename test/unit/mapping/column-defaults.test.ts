import { snowflakeDefault } from '../../../src/mapping/column-defaults';
import { createTable } from '../../../src/sql/snowflake/statements';

const NOT_CARRIED = { why: 'not created: the copied values are kept, new rows get no default' };
const NOW_NOTE =
  "the time of the insert in the Snowflake session's time zone, where SQL Server used its own clock";
const UUID_NOTE = "a random UUID in lower case, where the copied values have SQL Server's upper case";

describe('snowflakeDefault', () => {
  it.each([
    ['int', '((0))', { sql: '0' }],
    ['decimal', '((-12.50))', { sql: '-12.50' }],
    ['money', '((+1))', { sql: '1' }],
    ['bit', '((1))', { sql: 'TRUE' }],
    ['bit', '((0))', { sql: 'FALSE' }],
    ['nvarchar', "(N'it''s \\ here')", { sql: "'it\\'s \\\\ here'" }],
    ['varchar', "('(a)')", { sql: "'(a)'" }],
    ['datetime', '(getdate())', { sql: 'CURRENT_TIMESTAMP()', note: NOW_NOTE }],
    ['datetime2', '(sysdatetime())', { sql: 'CURRENT_TIMESTAMP()', note: NOW_NOTE }],
    ['datetimeoffset', '(SYSDATETIMEOFFSET())', { sql: 'CURRENT_TIMESTAMP()', note: NOW_NOTE }],
    ['uniqueidentifier', '(newid())', { sql: 'UUID_STRING()', note: UUID_NOTE }],
    ['datetime2', '(sysutcdatetime())', { sql: 'SYSDATE()' }],
    ['datetime', '(getutcdate())', { sql: 'SYSDATE()' }],
  ])('%s %s', (dataType, definition, verdict) => {
    expect(snowflakeDefault({ dataType }, definition)).toEqual(verdict);
  });

  it.each([
    ['char', "('N')"], // SQL Server pads it to the column's length; a VARCHAR default would not be
    ['date', "('1900-01-01')"], // a string into a date: left to SQL Server's conversion rules
    ['bit', '((2))'],
    ['varchar', '((0))'],
    ['int', '(abs((1)))'],
    ['datetime', '(dateadd(day,(1),getdate()))'],
    ['uniqueidentifier', '(newsequentialid())'],
    ['varchar', "('a')+('b')"], // not one literal: the outer parentheses are not one pair
    ['int', '(NEXT VALUE FOR [dbo].[seq])'],
    ['date', '(getdate())'],
    ['datetimeoffset', '(sysutcdatetime())'], // no offset of its own: not SYSDATE()'s TIMESTAMP_NTZ
  ])('%s %s is not carried', (dataType, definition) => {
    expect(snowflakeDefault({ dataType }, definition)).toEqual(NOT_CARRIED);
  });

  it('puts DEFAULT before NOT NULL in the column definition', () => {
    expect(
      createTable(
        {
          table: { database: 'D', schema: 'S', name: 'T' },
          columns: [
            { name: 'AT', type: 'TIMESTAMP_NTZ(3)', nullable: false, default: 'CURRENT_TIMESTAMP()' },
          ],
          isMigratedColumn: 'IS_MIGRATED',
          migratedAtColumn: 'MIGRATED_AT',
          primaryKey: [],
        },
        'published',
      ),
    ).toBe(
      'CREATE TABLE "D"."S"."T" (\n' +
        '  "AT" TIMESTAMP_NTZ(3) DEFAULT CURRENT_TIMESTAMP() NOT NULL,\n' +
        '  "IS_MIGRATED" BOOLEAN NOT NULL DEFAULT TRUE,\n' +
        '  "MIGRATED_AT" TIMESTAMP_TZ(3) NOT NULL\n)',
    );
  });
});

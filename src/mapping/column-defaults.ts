/**
 * SQL Server column defaults as Snowflake DEFAULT expressions, where Snowflake can express the same
 * thing; the others are listed as not carried. Pure.
 *
 * SQL Server keeps a default's definition in parentheses, as sys.default_constraints.definition and
 * INFORMATION_SCHEMA.COLUMNS.COLUMN_DEFAULT show it: `((0))`, `(N'x')`, `(getdate())`, `(newid())`
 * (https://learn.microsoft.com/en-us/sql/relational-databases/system-catalog-views/sys-default-constraints-transact-sql).
 * Snowflake's DEFAULT takes a constant or a simple expression such as CURRENT_TIMESTAMP()
 * (https://docs.snowflake.com/en/sql-reference/sql/create-table, DEFAULT); UUID_STRING() gives a random
 * (version 4) UUID as text (https://docs.snowflake.com/en/sql-reference/functions/uuid_string), SYSDATE()
 * the current time in UTC as TIMESTAMP_NTZ (https://docs.snowflake.com/en/sql-reference/functions/sysdate).
 * Only new rows in Snowflake ever use a default: every copied row brings its own value.
 */
import type { SourceColumn } from '../contracts/table';
import { literal } from '../sql/snowflake/statements';

export type DefaultVerdict = { sql: string; note?: string } | { why: string };

const NUMERIC = new Set([
  'bigint',
  'int',
  'smallint',
  'tinyint',
  'decimal',
  'numeric',
  'money',
  'smallmoney',
  'float',
  'real',
]);
/** Not char/nchar: SQL Server pads their default to the column's length, a Snowflake VARCHAR would not. */
const VARYING_TEXT = new Set(['varchar', 'nvarchar', 'text', 'ntext']);
const TIMESTAMPS = new Set(['datetime', 'datetime2', 'smalldatetime', 'datetimeoffset']);
const NOW = new Set(['getdate()', 'current_timestamp', 'sysdatetime()', 'sysdatetimeoffset()']);
const UTC_NOW = new Set(['getutcdate()', 'sysutcdatetime()']);
/** The types without an offset, which SYSDATE()'s TIMESTAMP_NTZ fills as it is. */
const LOCAL_TIMESTAMPS = new Set(['datetime', 'datetime2', 'smalldatetime']);

/** `((0))` -> `0`: the parentheses SQL Server wraps a definition in, however many. */
function unwrap(definition: string): string {
  let text = definition.trim();
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) {
    text = text.slice(1, -1).trim();
  }
  return text;
}

function balanced(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')' && --depth < 0) return false;
  }
  return depth === 0 && !quoted;
}

const NOT_CARRIED = 'not created: the copied values are kept, new rows get no default';

export function snowflakeDefault(column: Pick<SourceColumn, 'dataType'>, definition: string): DefaultVerdict {
  const text = unwrap(definition);
  const type = column.dataType;
  if (/^[-+]?\d+(\.\d+)?$/.test(text)) {
    if (NUMERIC.has(type)) return { sql: text.replace(/^\+/, '') };
    if (type === 'bit' && /^[-+]?0*[01]$/.test(text)) return { sql: /1$/.test(text) ? 'TRUE' : 'FALSE' };
  }
  const string = /^N?'((?:[^']|'')*)'$/s.exec(text);
  if (string && VARYING_TEXT.has(type)) return { sql: literal(string[1]!.replace(/''/g, "'")) };
  if (NOW.has(text.toLowerCase()) && TIMESTAMPS.has(type))
    return {
      sql: 'CURRENT_TIMESTAMP()',
      note: "the time of the insert in the Snowflake session's time zone, where SQL Server used its own clock",
    };
  if (UTC_NOW.has(text.toLowerCase()) && LOCAL_TIMESTAMPS.has(type)) return { sql: 'SYSDATE()' };
  if (text.toLowerCase() === 'newid()' && type === 'uniqueidentifier')
    return {
      sql: 'UUID_STRING()',
      note: "a random UUID in lower case, where the copied values have SQL Server's upper case",
    };
  return { why: NOT_CARRIED };
}

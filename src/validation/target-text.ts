/**
 * The Snowflake expression that reads a migrated column as the text its same-value rule compares
 * (./canonical.ts), so a value read back from Snowflake can be compared with the one read from SQL Server.
 * Apart from canonical.ts because it builds on the Snowflake SQL text (src/sql/snowflake/content-queries.ts), which itself
 * uses canonical.ts. Pure.
 */
import { spatialText, variantText } from '../sql/snowflake/content-queries';
import type { SameValueRule } from './canonical';

/**
 * Snowflake formats that print every digit a rule compares (FF9: nanoseconds, so no tick is rounded; the
 * format elements: https://docs.snowflake.com/en/sql-reference/date-time-input-output).
 */
const TARGET_FORMATS: Partial<Record<SameValueRule, string>> = {
  date: 'YYYY-MM-DD',
  time: 'HH24:MI:SS.FF9',
  timestamp: 'YYYY-MM-DD HH24:MI:SS.FF9',
  'timestamp-offset': 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM',
};

/**
 * The Snowflake expression that reads a migrated column as the text its rule compares (`quoted` is the
 * quoted column name). Numbers are read as they are and should be fetched as strings (exact NUMBER text).
 */
export function targetTextExpression(rule: SameValueRule, quoted: string): string {
  if (rule === 'spatial') return spatialText(quoted);
  if (rule === 'variant') return variantText(quoted);
  const format = TARGET_FORMATS[rule];
  return format ? `TO_VARCHAR(${quoted}, '${format}')` : quoted;
}

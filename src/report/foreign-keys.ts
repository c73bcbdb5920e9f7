/** How the report states what became of a source foreign key (README "Structure carried into Snowflake"). */
import type { ForeignKeyOutcome } from '../contracts/foreign-keys';

export function foreignKeyLine(key: ForeignKeyOutcome): string {
  const verdict = key.notCarried
    ? `not carried: ${key.notCarried}`
    : 'declared in Snowflake, which does not enforce it';
  const renamed = key.renamedFrom
    ? ` (renamed from ${key.renamedFrom}: another key of this run has that name in the same Snowflake schema)`
    : '';
  return `${key.table} ${key.name}: ${verdict}${renamed}`;
}

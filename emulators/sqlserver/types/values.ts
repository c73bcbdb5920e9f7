/**
 * How values of each SQL Server type live in JavaScript inside the stand-in. Integers that fit are numbers,
 * everything that must stay exact is an integer: decimals are scaled bigints, times are 100 ns ticks.
 *
 * | type                         | JS value                                          |
 * | ---------------------------- | ------------------------------------------------- |
 * | tinyint, smallint, int       | number                                            |
 * | bigint                       | bigint                                            |
 * | bit                          | boolean                                           |
 * | decimal, numeric, money, ... | bigint scaled by the type's scale (money: 4)      |
 * | float, real                  | number                                            |
 * | date                         | number, days since 0001-01-01                     |
 * | time                         | number, 100 ns ticks since midnight               |
 * | datetime2                    | bigint, 100 ns ticks since 0001-01-01             |
 * | datetime                     | number, 1/300 s since 1900-01-01                  |
 * | smalldatetime                | number, minutes since 1900-01-01                  |
 * | datetimeoffset               | { utc: bigint ticks, offset: minutes }            |
 * | char, varchar, nchar, ...    | string                                            |
 * | binary, varbinary, image     | Buffer                                            |
 * | uniqueidentifier             | Buffer of 16 bytes in wire order                  |
 * | xml                          | string                                            |
 * | sql_variant                  | { variant: SqlType, value }                       |
 */
import type { SqlType } from './sql-type';

export interface DateTimeOffsetValue {
  readonly utc: bigint;
  readonly offset: number;
}

export interface VariantValue {
  readonly variant: SqlType;
  readonly value: SqlValue;
}

export type SqlValue =
  null | number | bigint | boolean | string | Buffer | DateTimeOffsetValue | VariantValue;

/** A value with the type it has in T-SQL: what expressions evaluate to. */
export interface Typed {
  readonly type: SqlType;
  readonly value: SqlValue;
}

export const isVariant = (v: SqlValue): v is VariantValue =>
  typeof v === 'object' && v !== null && 'variant' in v;

/** The T-SQL type a plain JavaScript value stands for (values given to bulkInsert). */
export function typedFromJs(value: unknown): Typed {
  if (value === null || value === undefined) return { type: { name: 'int' }, value: null };
  if (typeof value === 'boolean') return { type: { name: 'bit' }, value };
  if (typeof value === 'bigint') return { type: { name: 'bigint' }, value };
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= 2_147_483_647) return { type: { name: 'int' }, value };
    if (Number.isSafeInteger(value)) return { type: { name: 'bigint' }, value: BigInt(value) };
    return { type: { name: 'float' }, value };
  }
  if (typeof value === 'string') return { type: { name: 'nvarchar', length: -1 }, value };
  if (Buffer.isBuffer(value)) return { type: { name: 'varbinary', length: -1 }, value };
  if (value instanceof Uint8Array)
    return { type: { name: 'varbinary', length: -1 }, value: Buffer.from(value) };
  throw new TypeError(`cannot store a ${typeof value} in SQL Server`);
}

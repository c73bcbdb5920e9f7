/**
 * Bound expressions as DuckDB SQL over the stored representation: what WHERE, JOIN ... ON, ORDER BY,
 * GROUP BY and aggregates run on. Comparisons use keys (collation keys, reordered GUIDs, UTC ticks), so
 * DuckDB compares and orders exactly as SQL Server does. What cannot be expressed that way is refused.
 */
import { BIGINT } from '@duckdb/node-api';
import { SqlError, notSupported } from '../errors';
import { convert, instantTicks } from '../types/convert';
import {
  DATETIME_UNITS_PER_DAY,
  DAY_1900,
  MINUTES_PER_DAY,
  TICKS_PER_DAY,
  TICKS_PER_MINUTE,
} from '../types/datetime';
import type { SqlType } from '../types/sql-type';
import {
  MAX,
  isApproxNumeric,
  isDateTimeType,
  isIntegerType,
  isLargeObjectType,
  isNumeric,
  isScaledNumeric,
  isStringType,
  isUnicodeType,
  typeDisplayName,
} from '../types/sql-type';
import type { SqlValue } from '../types/values';
import type { Bound, Pred, QueryParams } from './bound';
import { comparisonType, isBitwise } from './operators';
import {
  hasKeyColumn,
  keyDuckType,
  keySql,
  keyValue,
  physicalColumns,
  storageValues,
  valueDuckType,
} from './storage';

/** A value in DuckDB: its stored parts (value, offset) and the SQL that compares it. */
export interface DuckExpr {
  parts: string[];
  key: string;
  type: SqlType;
}

const duckTypeSql = (t: SqlType): string => valueDuckType(t).toString();

/** Whether comparisons use something other than the stored value (a key column, UTC ticks). */
const isKeyed = (t: SqlType): boolean => hasKeyColumn(t) || t.name === 'datetimeoffset';

/** A DuckExpr whose SQL is made on first use, so that no parameter is added for SQL left out. */
function lazyExpr(
  type: SqlType,
  makeParts: () => string[],
  makeKey: (parts: () => string[]) => string,
): DuckExpr {
  let parts: string[] | undefined;
  let key: string | undefined;
  const getParts = (): string[] => (parts ??= makeParts());
  return {
    type,
    get parts(): string[] {
      return getParts();
    },
    get key(): string {
      return (key ??= makeKey(getParts));
    },
  };
}

const lobError = (): SqlError =>
  new SqlError(
    306,
    'The text, ntext, and image data types cannot be compared or sorted, except when using IS NULL or LIKE operator.',
  );

/** How datetime values of each type become ticks since 0001-01-01 (UTC for datetimeoffset). */
function ticksSql(t: SqlType, e: DuckExpr): string {
  const c = e.parts[0]!;
  switch (t.name) {
    case 'date':
      return `(CAST(${c} AS HUGEINT) * ${TICKS_PER_DAY})`;
    case 'time':
      return `(CAST(${c} AS HUGEINT) + ${DAY_1900 * TICKS_PER_DAY})`;
    case 'smalldatetime':
      return `((CAST(${c} AS HUGEINT) + ${DAY_1900 * MINUTES_PER_DAY}) * ${TICKS_PER_MINUTE})`;
    case 'datetime':
      // 1/300 s to 100 ns, rounded as SQL Server converts datetime to datetime2 (.003 becomes .0033333).
      return `((CAST(${c} AS HUGEINT) * 200000 + ${DAY_1900 * DATETIME_UNITS_PER_DAY * 200000 + 3}) // 6)`;
    default:
      return `CAST(${c} AS HUGEINT)`;
  }
}

const COMPARE_SQL: Record<string, string> = {
  '=': '=',
  '<>': '<>',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

export class Pushdown {
  /**
   * @param grouped the SQL of GROUP BY keys when the query groups; other column references are then
   *   read through any_value().
   */
  constructor(
    private readonly params: QueryParams,
    private readonly grouped?: Set<string>,
  ) {}

  private groupedRef(sql: string): string {
    if (!this.grouped || this.grouped.has(sql)) return sql;
    return `any_value(${sql})`;
  }

  /** A constant as parameters, each added only when its SQL is used (DuckDB refuses unused ones). */
  constant(type: SqlType, value: SqlValue): DuckExpr {
    return lazyExpr(
      type,
      () => {
        const physical = physicalColumns(type, 0);
        const stored = storageValues(type, value);
        return physical.flatMap((p, i) =>
          p.name.startsWith('k') ? [] : [this.params.add(stored[i]!, p.duckType)],
        );
      },
      (parts) => (isKeyed(type) ? this.params.add(keyValue(type, value), keyDuckType(type)) : parts()[0]!),
    );
  }

  value(b: Bound): DuckExpr {
    switch (b.k) {
      case 'const':
        return this.constant(b.type, b.value);
      case 'column': {
        const a = b.entry.sqlAlias;
        const parts = [`${a}.c${b.ordinal}`];
        if (b.type.name === 'datetimeoffset') parts.push(`${a}.o${b.ordinal}`);
        return {
          parts: parts.map((p) => this.groupedRef(p)),
          key: this.groupedRef(keySql(b.type, a, b.ordinal)),
          type: b.type,
        };
      }
      case 'cast':
        return this.cast(this.value(b.arg), b.type);
      case 'arith': {
        if (isBitwise(b.op)) return this.bitwise(b);
        if (!isNumeric(b.left.type) || !isNumeric(b.right.type) || !isNumeric(b.type)) {
          throw notSupported('this arithmetic outside the select list');
        }
        const [l, r] = [this.value(b.left), this.value(b.right)];
        const op = b.op === '/' && isIntegerType(b.type) ? '//' : b.op;
        if (b.op === '/' && !isIntegerType(b.type) && !isApproxNumeric(b.type)) {
          throw notSupported('decimal division outside the select list');
        }
        const sql = `CAST((${l.parts[0]} ${op} ${r.parts[0]}) AS ${duckTypeSql(b.type)})`;
        return { parts: [sql], key: sql, type: b.type };
      }
      case 'negate': {
        if (!isNumeric(b.type)) throw notSupported('this negation outside the select list');
        const sql = `(-${this.value(b.arg).parts[0]})`;
        return { parts: [sql], key: sql, type: b.type };
      }
      case 'aggregate':
        return this.aggregate(b);
      case 'call':
        return this.call(b);
      case 'case':
        throw notSupported('CASE outside the select list');
    }
  }

  /**
   * `&`, `|`, `^` on integers (https://learn.microsoft.com/sql/t-sql/language-elements/bitwise-operators-transact-sql),
   * as `sysstat & 0xf = 4` filters; on bit and binary operands they stay in the select list.
   */
  private bitwise(b: Extract<Bound, { k: 'arith' }>): DuckExpr {
    if (!isIntegerType(b.left.type) || !isIntegerType(b.right.type) || !isIntegerType(b.type))
      throw notSupported('bitwise operators on these types outside the select list');
    const [l, r] = [this.value(b.left).parts[0], this.value(b.right).parts[0]];
    const [x, y] = [`CAST(${l} AS BIGINT)`, `CAST(${r} AS BIGINT)`];
    const op = b.op === '^' ? `xor(${x}, ${y})` : `(${x} ${b.op} ${y})`;
    const sql = `CAST(${op} AS ${duckTypeSql(b.type)})`;
    return { parts: [sql], key: sql, type: b.type };
  }

  /** The few functions a row filter commonly uses: date parts and NULL replacement. */
  private call(b: Extract<Bound, { k: 'call' }>): DuckExpr {
    const name = b.name;
    if (
      (name === 'year' || name === 'month' || name === 'day') &&
      isDateTimeType(b.args[0]!.type) &&
      b.args[0]!.type.name !== 'time'
    ) {
      const days = this.cast(this.value(b.args[0]!), { name: 'date' }).parts[0];
      const sql = `CAST(${name}(DATE '0001-01-01' + CAST(${days} AS INTEGER)) AS INTEGER)`;
      return { parts: [sql], key: sql, type: b.type };
    }
    if (name === 'isnull' || name === 'coalesce') {
      // All arguments as the result type; stored forms and keys of one type coalesce part by part.
      const args = b.args.map((a) =>
        a.k === 'const'
          ? this.constant(b.type, convert(a.value, a.type, b.type))
          : this.cast(this.value(a), b.type),
      );
      const width = physicalColumns(b.type, 0).filter((p) => !p.name.startsWith('k')).length;
      return lazyExpr(
        b.type,
        () => Array.from({ length: width }, (_, i) => `coalesce(${args.map((a) => a.parts[i]).join(', ')})`),
        (parts) => (isKeyed(b.type) ? `coalesce(${args.map((a) => a.key).join(', ')})` : parts()[0]!),
      );
    }
    throw notSupported(`${name.toUpperCase()}() outside the select list`);
  }

  /** Conversions DuckDB can do exactly as SQL Server does; the rest are refused. */
  private cast(e: DuckExpr, to: SqlType): DuckExpr {
    const from = e.type;
    const same = (): DuckExpr =>
      lazyExpr(
        to,
        () => e.parts,
        () => e.key,
      );
    if (isNumeric(from) && isNumeric(to) && to.name !== 'bit') {
      let sql = e.parts[0]!;
      if (from.name === 'bit') sql = `CAST(${sql} AS INTEGER)`;
      if (isIntegerType(to) && (isApproxNumeric(from) || from.name === 'decimal' || from.name === 'numeric'))
        sql = `trunc(${sql})`;
      if (to.name === 'decimal' || to.name === 'numeric')
        sql = `CAST(${sql} AS DECIMAL(${to.precision}, ${to.scale}))`;
      sql = `CAST(${sql} AS ${duckTypeSql(to)})`;
      return { parts: [sql], key: sql, type: to };
    }
    if (isStringType(from) && isStringType(to) && !isLargeObjectType(to)) {
      const longEnough =
        to.length === MAX || (from.length !== MAX && (to.length ?? 30) >= (from.length ?? 1));
      const sameCharset = isUnicodeType(to) || !isUnicodeType(from);
      const padding = (to.name === 'char' || to.name === 'nchar') && from.name !== to.name;
      if (longEnough && sameCharset && !padding) return same();
    }
    if (
      from.name === to.name &&
      from.length === to.length &&
      from.scale === to.scale &&
      from.precision === to.precision
    )
      return same();
    if (to.name === 'date' && isDateTimeType(from) && from.name !== 'time') {
      const local =
        from.name === 'datetimeoffset'
          ? `(${e.parts[0]} + CAST(${e.parts[1]} AS BIGINT) * ${TICKS_PER_MINUTE})`
          : null;
      const sql =
        from.name === 'date'
          ? e.parts[0]!
          : `CAST(floor(${local ?? ticksSql(from, e)} / ${TICKS_PER_DAY}) AS INTEGER)`;
      return { parts: [sql], key: sql, type: to };
    }
    throw notSupported(
      `CAST from ${typeDisplayName(from)} to ${typeDisplayName(to)} outside the select list`,
    );
  }

  aggregate(b: Extract<Bound, { k: 'aggregate' }>): DuckExpr {
    const inner = new Pushdown(this.params);
    const arg = b.arg ? inner.value(b.arg) : undefined;
    const one = (sql: string): DuckExpr => ({ parts: [sql], key: sql, type: b.type });
    switch (b.fn) {
      case 'count':
      case 'count_big':
        if (!arg) return one('count(*)');
        return one(b.distinct ? `count(DISTINCT ${arg.key})` : `count(${arg.parts[0]})`);
      case 'min':
      case 'max': {
        if (isLargeObjectType(arg!.type)) throw lobError();
        const fn = b.fn === 'min' ? 'arg_min' : 'arg_max';
        if (arg!.type.name === 'datetimeoffset') {
          return {
            parts: [`${b.fn}(${arg!.parts[0]})`, `${fn}(${arg!.parts[1]}, ${arg!.parts[0]})`],
            key: `${b.fn}(${arg!.key})`,
            type: b.type,
          };
        }
        if (arg!.key !== arg!.parts[0])
          return {
            parts: [`${fn}(${arg!.parts[0]}, ${arg!.key})`],
            key: `${b.fn}(${arg!.key})`,
            type: b.type,
          };
        return one(`${b.fn}(${arg!.parts[0]})`);
      }
      case 'sum': {
        const distinct = b.distinct ? 'DISTINCT ' : '';
        return one(`CAST(sum(${distinct}${this.numericArg(arg!)}) AS ${duckTypeSql(b.type)})`);
      }
      case 'avg':
        return one(`avg(${this.numericArg(arg!)})`);
    }
  }

  private numericArg(e: DuckExpr): string {
    return e.type.name === 'bit' ? `CAST(${e.parts[0]} AS INTEGER)` : e.parts[0]!;
  }

  /** The parts of an AVG computed exactly in JavaScript: the sum and the count of non-NULL values. */
  averageParts(b: Extract<Bound, { k: 'aggregate' }>): string[] {
    const arg = new Pushdown(this.params).value(b.arg!);
    const distinct = b.distinct ? 'DISTINCT ' : '';
    const sumType = isApproxNumeric(arg.type)
      ? 'DOUBLE'
      : isScaledNumeric(arg.type)
        ? `DECIMAL(38, ${arg.type.name === 'money' || arg.type.name === 'smallmoney' ? 4 : arg.type.scale})`
        : 'HUGEINT';
    return [`CAST(sum(${distinct}${arg.parts[0]}) AS ${sumType})`, `count(${distinct}${arg.parts[0]})`];
  }

  orderKey(b: Bound): string {
    if (isLargeObjectType(b.type) || b.type.name === 'sql_variant') throw lobError();
    return this.value(b).key;
  }

  pred(p: Pred): string {
    switch (p.k) {
      case 'bool':
        return p.value === null ? 'NULL' : p.value ? 'TRUE' : 'FALSE';
      case 'and':
      case 'or':
        return `(${this.pred(p.left)} ${p.k.toUpperCase()} ${this.pred(p.right)})`;
      case 'not':
        return `(NOT ${this.pred(p.p)})`;
      case 'isNull':
        return `(${this.value(p.arg).parts[0]} IS ${p.not ? 'NOT ' : ''}NULL)`;
      case 'compare': {
        const [l, r] = this.comparable(p.left, [p.right]);
        return `(${l} ${COMPARE_SQL[p.op]} ${r[0]})`;
      }
      case 'in': {
        const [l, list] = this.comparable(p.arg, p.list);
        return `(${p.not ? 'NOT ' : ''}${l} IN (${list.join(', ')}))`;
      }
      case 'like': {
        if (!isStringType(p.arg.type) || p.arg.k === 'const') throw notSupported('LIKE on this expression');
        if (p.pattern.k !== 'const' || !isStringType(p.pattern.type))
          throw notSupported('LIKE with a pattern that is not a constant string');
        const pattern = p.pattern.value as string | null;
        if (pattern === null) return 'NULL';
        if (pattern.includes('[')) throw notSupported('LIKE patterns with [ ] character sets');
        const value = this.value(p.arg).parts[0]!;
        const param = this.params.add(
          pattern.toLowerCase(),
          valueDuckType({ name: 'nvarchar', length: MAX }),
        );
        return `(${p.not ? 'NOT ' : ''}lower(rtrim(${value}, ' ')) LIKE ${param})`;
      }
    }
  }

  /**
   * Both sides of a comparison as DuckDB SQL in one domain: keys for strings, binaries and GUIDs,
   * numbers for numbers, ticks for date and time values of different types.
   */
  private comparable(left: Bound, rights: Bound[]): [string, string[]] {
    const all = [left, ...rights];
    const target = all.map((b) => b.type).reduce((a, b) => comparisonType(a, b));
    const dateTypes = new Set(
      all.filter((b) => isDateTimeType(b.type) && b.k !== 'const').map((b) => b.type.name),
    );
    const inTicks =
      isDateTimeType(target) &&
      (dateTypes.size > 1 ||
        (all.some((b) => b.k === 'const' && isDateTimeType(b.type) && b.type.name !== target.name) &&
          dateTypes.size > 0));
    const sides = all.map((b) => this.comparableSide(b, target, inTicks));
    return [sides[0]!, sides.slice(1)];
  }

  private comparableSide(b: Bound, target: SqlType, inTicks: boolean): string {
    if (b.k === 'const') {
      if (b.value === null) return 'NULL';
      if (isNumeric(target)) {
        if (b.type.name === 'bit' || !isNumeric(b.type)) {
          const v = convert(b.value, b.type, target);
          return this.constant(target, v).parts[0]!;
        }
        return this.constant(b.type, b.value).parts[0]!;
      }
      const wide = widenForComparison(target);
      const v = convert(b.value, b.type, wide);
      if (inTicks) return this.params.add(instantTicks(v, wide), BIGINT);
      return this.constant(wide, v).key;
    }
    const e = this.value(b);
    if (isLargeObjectType(b.type)) throw lobError();
    if (isNumeric(target)) {
      if (!isNumeric(b.type))
        throw notSupported(`comparing a ${b.type.name} expression with a ${target.name} value`);
      return b.type.name === 'bit' && target.name !== 'bit' ? `CAST(${e.parts[0]} AS INTEGER)` : e.parts[0]!;
    }
    if (isDateTimeType(target)) {
      if (!isDateTimeType(b.type))
        throw notSupported(`comparing a ${b.type.name} expression with a ${target.name} value`);
      return inTicks ? ticksSql(b.type, e) : e.key;
    }
    const sameKind =
      (isStringType(target) && isStringType(b.type)) ||
      target.name === b.type.name ||
      (['binary', 'varbinary'].includes(target.name) && ['binary', 'varbinary'].includes(b.type.name));
    if (!sameKind) throw notSupported(`comparing a ${b.type.name} expression with a ${target.name} value`);
    return e.key;
  }
}

/** Constants are converted for comparison without cutting strings or rounding fractions of seconds. */
function widenForComparison(t: SqlType): SqlType {
  if (isStringType(t)) return { name: isUnicodeType(t) ? 'nvarchar' : 'varchar', length: MAX };
  if (t.name === 'binary' || t.name === 'varbinary') return { name: 'varbinary', length: MAX };
  if (t.name === 'time' || t.name === 'datetime2' || t.name === 'datetimeoffset')
    return { name: t.name, scale: 7 };
  return t;
}

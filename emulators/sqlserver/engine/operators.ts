/**
 * T-SQL operators evaluated in JavaScript: arithmetic with SQL Server's result types, comparison under the
 * server collation, LIKE. Used for constants, CASE, and the select list.
 */
import { binaryKey, collationKey } from '../collation';
import { SqlError, notSupported, overflow } from '../errors';
import { convert, instantTicks } from '../types/convert';
import { fitsPrecision, pow10, rescale } from '../types/decimal';
import { guidSortKey } from '../types/guid';
import type { SqlType } from '../types/sql-type';
import {
  BIGINT,
  INTEGER_RANGES,
  MAX,
  higherPrecedence,
  isApproxNumeric,
  isBinaryType,
  isDateTimeType,
  isExactNumeric,
  isIntegerType,
  isLargeObjectType,
  isScaledNumeric,
  isStringType,
  isUnicodeType,
  precisionOf,
  scaleOf,
} from '../types/sql-type';
import type { SqlValue, Typed } from '../types/values';
import type { ArithmeticOp } from '../tsql/ast';

/** decimal(p, s) equivalent of an exact numeric type, as SQL Server uses for result typing. */
function asDecimal(t: SqlType): [precision: number, scale: number] {
  return [precisionOf(t), scaleOf(t)];
}

function capDecimal(op: ArithmeticOp, precision: number, scale: number): SqlType {
  if (precision <= 38) return { name: 'decimal', precision, scale };
  const integral = precision - scale;
  let s: number;
  if (op === '*' || op === '/') s = integral < 32 ? Math.min(scale, 38 - integral) : scale < 6 ? scale : 6;
  else s = Math.min(scale, Math.max(0, 39 - integral));
  return { name: 'decimal', precision: 38, scale: s };
}

const isTextual = (t: SqlType): boolean => isStringType(t);

const BITWISE = new Set<ArithmeticOp>(['&', '|', '^']);
export const isBitwise = (op: ArithmeticOp): boolean => BITWISE.has(op);
const isBitwiseOperand = (t: SqlType): boolean => isIntegerType(t) || t.name === 'bit';

/** `&`, `|`, `^` take integers and bits (binary operands are not implemented): bit with bit is bit. */
function bitwiseType(op: ArithmeticOp, a: SqlType, b: SqlType): SqlType {
  if (!isBitwiseOperand(a) || !isBitwiseOperand(b)) {
    if (isBinaryType(a) || isBinaryType(b)) throw notSupported('bitwise operators on binary values');
    throw new SqlError(
      402,
      `The data types ${a.name} and ${b.name} are incompatible in the '${op}' operator.`,
    );
  }
  if (a.name === 'bit') return b;
  return b.name === 'bit' ? a : higherPrecedence(a, b);
}

/** The type of `a op b` under SQL Server's rules. */
export function arithmeticType(op: ArithmeticOp, a: SqlType, b: SqlType): SqlType {
  if (isBitwise(op)) return bitwiseType(op, a, b);
  if (isLargeObjectType(a) || isLargeObjectType(b)) {
    throw new SqlError(
      402,
      `The data types ${a.name} and ${b.name} are incompatible in the ${opName(op)} operator.`,
    );
  }
  if (op === '+' && isTextual(a) && isTextual(b)) {
    const unicode = isUnicodeType(a) || isUnicodeType(b);
    const limit = unicode ? 4000 : 8000;
    if (a.length === MAX || b.length === MAX) return { name: unicode ? 'nvarchar' : 'varchar', length: MAX };
    return {
      name: unicode ? 'nvarchar' : 'varchar',
      length: Math.min(limit, (a.length ?? 1) + (b.length ?? 1)),
    };
  }
  const t = higherPrecedence(a, b);
  if (isDateTimeType(t) || t.name === 'uniqueidentifier' || isBinaryType(t) || isTextual(t)) {
    throw new SqlError(8117, `Operand data type ${t.name} is invalid for ${opName(op)} operator.`);
  }
  if (isApproxNumeric(t))
    return a.name === 'real' && b.name === 'real' ? { name: 'real' } : { name: 'float' };
  if (t.name === 'money' || t.name === 'smallmoney') return { name: 'money' };
  if (t.name === 'decimal' || t.name === 'numeric') {
    const [p1, s1] = asDecimal(a.name === 'bit' ? { name: 'tinyint' } : a);
    const [p2, s2] = asDecimal(b.name === 'bit' ? { name: 'tinyint' } : b);
    switch (op) {
      case '+':
      case '-': {
        const s = Math.max(s1, s2);
        return capDecimal(op, Math.max(p1 - s1, p2 - s2) + s + 1, s);
      }
      case '*':
        return capDecimal(op, p1 + p2 + 1, s1 + s2);
      case '/': {
        const s = Math.max(6, s1 + p2 + 1);
        return capDecimal(op, p1 - s1 + s2 + s, s);
      }
      case '%': {
        const s = Math.max(s1, s2);
        return capDecimal(op, Math.min(p1 - s1, p2 - s2) + s, s);
      }
    }
  }
  if (t.name === 'bit') return { name: 'int' };
  return t;
}

const opName = (op: ArithmeticOp): string =>
  ({
    '+': 'add',
    '-': 'subtract',
    '*': 'multiply',
    '/': 'divide',
    '%': 'modulo',
    '&': '&',
    '|': '|',
    '^': '^',
  })[op];

const divideByZero = (): SqlError => new SqlError(8134, 'Divide by zero error encountered.');

function divRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return negative ? -q : q;
}

/** Evaluates `a op b`; `type` is arithmeticType's answer. */
export function arithmetic(op: ArithmeticOp, a: Typed, b: Typed, type: SqlType): SqlValue {
  if (a.value === null || b.value === null) return null;
  if (isBitwise(op)) return bitwise(op, a, b, type);
  if (isStringType(type))
    return String(convert(a.value, a.type, type)) + String(convert(b.value, b.type, type));
  if (isApproxNumeric(type)) {
    const [p, q] = [convert(a.value, a.type, type) as number, convert(b.value, b.type, type) as number];
    if ((op === '/' || op === '%') && q === 0) throw divideByZero();
    const r = op === '+' ? p + q : op === '-' ? p - q : op === '*' ? p * q : op === '/' ? p / q : p % q;
    if (!Number.isFinite(r)) throw overflow(type.name);
    return type.name === 'real' ? Math.fround(r) : r;
  }
  if (isIntegerType(type)) {
    const [p, q] = [
      BigInt(convert(a.value, a.type, type) as number | bigint),
      BigInt(convert(b.value, b.type, type) as number | bigint),
    ];
    if ((op === '/' || op === '%') && q === 0n) throw divideByZero();
    const r = op === '+' ? p + q : op === '-' ? p - q : op === '*' ? p * q : op === '/' ? p / q : p % q;
    const [lo, hi] = INTEGER_RANGES[type.name]!;
    if (r < lo || r > hi) throw overflow(type.name);
    return type.name === 'bigint' ? r : Number(r);
  }
  // decimal and money: each operand as a scaled bigint at its own scale
  const sa = isScaledNumeric(a.type) ? scaleOf(a.type) : 0;
  const sb = isScaledNumeric(b.type) ? scaleOf(b.type) : 0;
  const p = convert(a.value, a.type, { name: 'decimal', precision: 38, scale: sa }) as bigint;
  const q = convert(b.value, b.type, { name: 'decimal', precision: 38, scale: sb }) as bigint;
  const s = scaleOf(type);
  const m = Math.max(sa, sb);
  let r: bigint;
  switch (op) {
    case '+':
      r = rescale(rescale(p, sa, m) + rescale(q, sb, m), m, s);
      break;
    case '-':
      r = rescale(rescale(p, sa, m) - rescale(q, sb, m), m, s);
      break;
    case '*':
      r = rescale(p * q, sa + sb, s);
      break;
    case '/':
      if (q === 0n) throw divideByZero();
      r = divRound(p * pow10(s + sb), q * pow10(sa));
      break;
    default:
      if (q === 0n) throw divideByZero();
      r = rescale(rescale(p, sa, m) % rescale(q, sb, m), m, s);
  }
  if (type.name === 'money') {
    if (r < INTEGER_RANGES.bigint![0] || r > INTEGER_RANGES.bigint![1]) throw overflow('money');
  } else if (!fitsPrecision(r, type.precision!)) throw overflow('numeric');
  return r;
}

/** On two's complement integers of the result type: the bits of a negative int are its 32-bit pattern. */
function bitwise(op: ArithmeticOp, a: Typed, b: Typed, type: SqlType): SqlValue {
  const asInteger = (v: Typed): bigint => BigInt(convert(v.value, v.type, BIGINT) as bigint);
  const [p, q] = [asInteger(a), asInteger(b)];
  const r = op === '&' ? p & q : op === '|' ? p | q : p ^ q;
  if (type.name === 'bit') return r !== 0n;
  return type.name === 'bigint' ? r : Number(r);
}

export function negate(v: Typed): SqlValue {
  if (v.value === null) return null;
  const t = v.type;
  if (isApproxNumeric(t)) return -(v.value as number);
  if (isExactNumeric(t)) {
    if (isIntegerType(t)) {
      const r = -BigInt(v.value as number | bigint);
      const [lo, hi] = INTEGER_RANGES[t.name]!;
      if (r < lo || r > hi) throw overflow(t.name);
      return t.name === 'bigint' ? r : Number(r);
    }
    return -(v.value as bigint);
  }
  throw new SqlError(8117, `Operand data type ${t.name} is invalid for minus operator.`);
}

/** The type both sides of a comparison are converted to. */
export function comparisonType(a: SqlType, b: SqlType): SqlType {
  if (!isComparableType(a) || !isComparableType(b)) {
    throw new SqlError(
      306,
      'The text, ntext, and image data types cannot be compared or sorted, except when using IS NULL or LIKE operator.',
    );
  }
  if (isStringType(a) && isStringType(b)) return isUnicodeType(a) ? a : b;
  return higherPrecedence(a, b);
}

const isComparableType = (t: SqlType): boolean => !isLargeObjectType(t);

/** Compares two typed values as SQL Server does; null when either is NULL. */
export function compareTyped(a: Typed, b: Typed): number | null {
  if (a.value === null || b.value === null) return null;
  const t = comparisonType(a.type, b.type);
  return compareSameType(
    convert(a.value, a.type, widenForCompare(t)),
    convert(b.value, b.type, widenForCompare(t)),
    t,
  );
}

/** Converting for comparison must never cut strings or lose decimal digits. */
function widenForCompare(t: SqlType): SqlType {
  if (isStringType(t)) return { name: isUnicodeType(t) ? 'nvarchar' : 'varchar', length: MAX };
  if (t.name === 'decimal' || t.name === 'numeric')
    return { name: 'decimal', precision: 38, scale: Math.max(t.scale ?? 0, 10) };
  if (t.name === 'binary') return { name: 'varbinary', length: MAX };
  return t;
}

function cmp<T>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareSameType(x: SqlValue, y: SqlValue, t: SqlType): number | null {
  if (x === null || y === null) return null;
  if (isStringType(t)) return Buffer.compare(collationKey(x as string), collationKey(y as string));
  if (isBinaryType(t)) return Buffer.compare(binaryKey(x as Buffer), binaryKey(y as Buffer));
  if (t.name === 'uniqueidentifier')
    return Buffer.compare(guidSortKey(x as Buffer), guidSortKey(y as Buffer));
  if (isDateTimeType(t)) return cmp(instantTicks(x, t), instantTicks(y, t));
  if (t.name === 'bit') return cmp(x ? 1 : 0, y ? 1 : 0);
  if (isScaledNumeric(t) || isIntegerType(t))
    return cmp(BigInt(x as number | bigint), BigInt(y as number | bigint));
  if (isApproxNumeric(t)) return cmp(x as number, y as number);
  throw notSupported(`comparing values of type ${t.name}`);
}

/** SQL Server's LIKE under the server collation: case-insensitive, trailing blanks of the value ignored. */
export function likeMatches(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, close);
      const negated = set.startsWith('^');
      if (negated) set = set.slice(1);
      re += `[${negated ? '^' : ''}${set.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else re += c.replace(/[.*+?^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(re + '$', 'iu').test(value.replace(/ +$/, ''));
}

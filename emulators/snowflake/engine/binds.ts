/**
 * Bound values as the driver sends them: `{"1": {"type": "TEXT", "value": "abc"}}`, every value a
 * string or null; with array binds each value is an array (one element per row) and the type is the
 * one the driver guessed from the first row.
 */
import { SnowflakeError, unsupported } from '../errors';
import { stringLiteral } from '../sql/identifiers';

export interface BindValue {
  type: string;
  value: string | null | (string | null)[];
}

export function bindsFromRequest(bindings: unknown): BindValue[] {
  if (bindings === undefined || bindings === null) return [];
  const map = bindings as Record<string, { type?: string; value?: unknown }>;
  const count = Math.max(0, ...Object.keys(map).map(Number));
  return Array.from({ length: count }, (_, k) => {
    const entry = map[String(k + 1)];
    const value = entry?.value;
    return {
      type: String(entry?.type ?? 'TEXT').toUpperCase(),
      value: Array.isArray(value) ? value.map(asText) : asText(value),
    };
  });
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** JS values (the in-process API) the way the driver would bind them. */
export function bindsFromValues(values: unknown[]): BindValue[] {
  return values.map((value) => {
    const type =
      typeof value === 'boolean'
        ? 'BOOLEAN'
        : typeof value === 'number' || typeof value === 'bigint'
          ? Number.isInteger(Number(value))
            ? 'FIXED'
            : 'REAL'
          : 'TEXT';
    const text =
      value === null || value === undefined
        ? null
        : value instanceof Date
          ? value.toJSON()
          : Buffer.isBuffer(value)
            ? value.toString('hex')
            : String(value);
    return { type, value: text };
  });
}

/** 002049 (42601): more placeholders than bound values ("Bind variable ? not set"). */
export const missingBind = (index: number) =>
  new SnowflakeError(
    '002049',
    '42601',
    `SQL compilation error: error line 0 at position -1\nBind variable ? not set (position ${index + 1}).`,
  );

/** A single bound value as a SQL literal for the translated statement. */
export function bindSql(binds: BindValue[], index: number): string {
  const bind = binds[index];
  if (!bind) throw missingBind(index);
  if (Array.isArray(bind.value)) throw unsupported('array binds outside INSERT ... VALUES');
  const value = bind.value;
  if (value === null) return 'NULL';
  if (bind.type === 'FIXED' && /^-?\d+$/.test(value)) return value;
  if (bind.type === 'REAL' && /^-?[0-9.eE+-]+$/.test(value)) return `CAST('${value}' AS DOUBLE)`;
  if (bind.type === 'BOOLEAN' && /^(true|false)$/i.test(value)) return value.toUpperCase();
  return stringLiteral(value);
}

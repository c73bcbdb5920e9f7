/** Bound expressions compiled into JavaScript closures over a row of DuckDB results. */
import { SqlError, notSupported } from '../errors';
import { convert, converter } from '../types/convert';
import { MAX, isStringType, type SqlType } from '../types/sql-type';
import type { SqlValue, Typed } from '../types/values';
import type { Bound, Pred, RowFn } from './bound';
import type { EvalContext } from './functions';
import { OPTION_FLAGS } from '../tsql/parser';
import { arithmetic, compareTyped, likeMatches, negate } from './operators';

/** Where column and aggregate values come from: slots of the DuckDB result row. */
export interface SlotSource {
  value(b: Extract<Bound, { k: 'column' } | { k: 'aggregate' }>): RowFn;
}

type PredFn = (raw: unknown[]) => boolean | null;

const NO_SLOTS: SlotSource = {
  value: () => {
    throw new Error('a column or aggregate in a constant expression');
  },
};

const CONCAT_NULL_YIELDS_NULL = OPTION_FLAGS.get('concat_null_yields_null')!;

/**
 * String `+` under SET CONCAT_NULL_YIELDS_NULL OFF: "the null value is treated as an empty character
 * string" (https://learn.microsoft.com/sql/t-sql/statements/set-concat-null-yields-null-transact-sql).
 * The page does not say what two NULLs give, so that is refused.
 */
function concatNullAsEmpty(a: Typed, b: Typed, type: SqlType): SqlValue {
  if (a.value === null && b.value === null)
    throw notSupported('concatenating two NULLs with CONCAT_NULL_YIELDS_NULL OFF');
  const empty = (t: Typed): Typed => (t.value === null ? { type, value: '' } : t);
  return arithmetic('+', empty(a), empty(b), type);
}

export function compileValue(b: Bound, ctx: EvalContext, slots: SlotSource = NO_SLOTS): RowFn {
  switch (b.k) {
    case 'const': {
      const v = b.value;
      return () => v;
    }
    case 'column':
    case 'aggregate':
      return slots.value(b);
    case 'cast': {
      const arg = compileValue(b.arg, ctx, slots);
      const from = b.arg.type;
      const convertValue = converter(from, b.type, b.style);
      if (!b.try) return (raw) => convertValue(arg(raw));
      return (raw) => {
        try {
          return convertValue(arg(raw));
        } catch (e) {
          if (e instanceof SqlError && e.number !== 529) return null;
          throw e;
        }
      };
    }
    case 'arith': {
      const left = compileValue(b.left, ctx, slots);
      const right = compileValue(b.right, ctx, slots);
      const { op, type } = b;
      const [lt, rt] = [b.left.type, b.right.type];
      if (op === '+' && isStringType(type) && (ctx.options & CONCAT_NULL_YIELDS_NULL) === 0)
        return (raw) =>
          concatNullAsEmpty({ type: lt, value: left(raw) }, { type: rt, value: right(raw) }, type);
      return (raw) => arithmetic(op, { type: lt, value: left(raw) }, { type: rt, value: right(raw) }, type);
    }
    case 'negate': {
      const arg = compileValue(b.arg, ctx, slots);
      const type = b.arg.type;
      return (raw) => negate({ type, value: arg(raw) });
    }
    case 'call': {
      const args = b.args.map((a) => compileValue(a, ctx, slots));
      const types = b.args.map((a) => a.type);
      const impl = b.impl;
      return (raw) =>
        impl(
          args.map((f, i) => ({ type: types[i]!, value: f(raw) })),
          ctx,
        );
    }
    case 'case': {
      const whens = b.whens.map((w) => ({
        when: compilePred(w.when, ctx, slots),
        then: compileCast(w.then, b, ctx, slots),
      }));
      const otherwise = b.otherwise ? compileCast(b.otherwise, b, ctx, slots) : () => null;
      return (raw) => {
        for (const w of whens) if (w.when(raw) === true) return w.then(raw);
        return otherwise(raw);
      };
    }
  }
}

/** A CASE branch converted to the type of the whole CASE. */
function compileCast(branch: Bound, whole: Bound, ctx: EvalContext, slots: SlotSource): RowFn {
  const f = compileValue(branch, ctx, slots);
  return (raw) => convert(f(raw), branch.type, whole.type);
}

const TEXT = { name: 'nvarchar', length: MAX } as const;

export function compilePred(p: Pred, ctx: EvalContext, slots: SlotSource = NO_SLOTS): PredFn {
  switch (p.k) {
    case 'bool': {
      const v = p.value;
      return () => v;
    }
    case 'compare': {
      const left = compileValue(p.left, ctx, slots);
      const right = compileValue(p.right, ctx, slots);
      const [lt, rt] = [p.left.type, p.right.type];
      const test = COMPARE_TESTS[p.op]!;
      return (raw) => {
        const c = compareTyped({ type: lt, value: left(raw) }, { type: rt, value: right(raw) });
        return c === null ? null : test(c);
      };
    }
    case 'and':
    case 'or': {
      const left = compilePred(p.left, ctx, slots);
      const right = compilePred(p.right, ctx, slots);
      if (p.k === 'and') {
        return (raw) => {
          const a = left(raw);
          if (a === false) return false;
          const b = right(raw);
          return b === false ? false : a === null || b === null ? null : true;
        };
      }
      return (raw) => {
        const a = left(raw);
        if (a === true) return true;
        const b = right(raw);
        return b === true ? true : a === null || b === null ? null : false;
      };
    }
    case 'not': {
      const inner = compilePred(p.p, ctx, slots);
      return (raw) => {
        const v = inner(raw);
        return v === null ? null : !v;
      };
    }
    case 'isNull': {
      const arg = compileValue(p.arg, ctx, slots);
      return (raw) => (arg(raw) === null) !== p.not;
    }
    case 'in': {
      const arg = compileValue(p.arg, ctx, slots);
      const list = p.list.map((item) => ({ f: compileValue(item, ctx, slots), type: item.type }));
      const t = p.arg.type;
      return (raw) => {
        const v = arg(raw);
        let unknown = false;
        for (const item of list) {
          const c = compareTyped({ type: t, value: v }, { type: item.type, value: item.f(raw) });
          if (c === 0) return !p.not;
          if (c === null) unknown = true;
        }
        return unknown ? null : p.not;
      };
    }
    case 'like': {
      const arg = compileValue(p.arg, ctx, slots);
      const pattern = compileValue(p.pattern, ctx, slots);
      const [at, pt] = [p.arg.type, p.pattern.type];
      return (raw) => {
        const v = arg(raw);
        const pat = pattern(raw);
        if (v === null || pat === null) return null;
        return likeMatches(convert(v, at, TEXT) as string, convert(pat, pt, TEXT) as string) !== p.not;
      };
    }
  }
}

const COMPARE_TESTS: Record<string, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '>': (c) => c > 0,
  '<=': (c) => c <= 0,
  '>=': (c) => c >= 0,
};

/** The value of a bound expression that has no columns. */
export function evaluateConstant(b: Bound, ctx: EvalContext): SqlValue {
  return compileValue(b, ctx)([]);
}

export function evaluateConstantPred(p: Pred, ctx: EvalContext): boolean | null {
  return compilePred(p, ctx)([]);
}

/**
 * From syntax to bound expressions: resolves columns against the FROM scope (errors 207, 209, 4104),
 * variables and parameters (137), functions (195), types every node as SQL Server does, and folds what
 * does not depend on a row into constants.
 */
import { SqlError, encryptedColumnRead, invalidColumn, notSupported } from '../errors';
import { isBuiltInFunction } from '../tsql/builtins';
import type { SqlType } from '../types/sql-type';
import {
  BIGINT,
  INT,
  decimal,
  higherPrecedence,
  isApproxNumeric,
  isBinaryType,
  isIntegerType,
  isLargeObjectType,
  isNumeric,
  nvarchar,
  scaleOf,
} from '../types/sql-type';
import type { Typed } from '../types/values';
import type { ArithmeticOp, Expr } from '../tsql/ast';
import type { AggregateFn, Bound, Pred, ScopeEntry } from './bound';
import { sameName } from './catalog';
import { evaluateConstant, evaluateConstantPred } from './evaluate';
import { type EvalContext, globalVariable, lookupFunction } from './functions';
import { arithmeticType, comparisonType, isBitwise } from './operators';
import { datePart } from '../types/date-add';
import { checkArity, type FunctionEvaluator, runScalarFunction } from './scalar-functions';

export interface BindEnv {
  ctx: EvalContext;
  /** Variables and sp_executesql parameters, keyed by lower-case name with the @. */
  variables: Map<string, Typed>;
  scope: ScopeEntry[];
}

const AGGREGATES = new Set<string>(['count', 'count_big', 'min', 'max', 'sum', 'avg']);

type Const = Extract<Bound, { k: 'const' }>;

const isConst = (b: Bound): b is Const => b.k === 'const';

/** NULL written as a literal has no type of its own: it takes the type of what it meets. */
const NULL_LITERALS = new WeakSet<Bound>();

export class Binder {
  /** Set while binding an aggregate's argument: aggregates cannot nest. */
  private inAggregate = false;

  constructor(
    private readonly env: BindEnv,
    private readonly allowAggregates: boolean,
  ) {}

  private fold(b: Bound): Bound {
    return { k: 'const', type: b.type, value: evaluateConstant(b, this.env.ctx) };
  }

  value(e: Expr): Bound {
    switch (e.kind) {
      case 'literal': {
        const b: Bound = { k: 'const', type: e.value.type, value: e.value.value };
        if (e.value.value === null) NULL_LITERALS.add(b);
        return b;
      }
      case 'variable': {
        const v = this.env.variables.get(e.name.toLowerCase());
        if (!v) throw new SqlError(137, `Must declare the scalar variable "${e.name}".`, { class: 15 });
        return { k: 'const', type: v.type, value: v.value };
      }
      case 'global': {
        const v = globalVariable(e.name, this.env.ctx);
        return { k: 'const', type: v.type, value: v.value };
      }
      case 'column':
        return this.column(e.parts, e.text);
      case 'cast': {
        const arg = this.value(e.expr);
        let style: number | undefined;
        if (e.style) {
          const s = this.value(e.style);
          if (!isConst(s) || !isIntegerType(s.type) || s.value === null)
            throw notSupported('a CONVERT style that is not a constant');
          style = Number(s.value);
        }
        const b: Bound = { k: 'cast', type: e.type, arg, style, try: e.try };
        return isConst(arg) ? this.fold(b) : b;
      }
      case 'negate': {
        const arg = this.value(e.expr);
        const b: Bound = { k: 'negate', type: arg.type, arg };
        return isConst(arg) ? this.fold(b) : b;
      }
      case 'arithmetic': {
        const [left, right] = this.binaryAsInteger(e.op, this.value(e.left), this.value(e.right));
        // 'abc' + NULL is a string (https://learn.microsoft.com/sql/t-sql/statements/set-concat-null-yields-null-transact-sql).
        const typeOf = (b: Bound, other: Bound) => (NULL_LITERALS.has(b) ? other.type : b.type);
        const b: Bound = {
          k: 'arith',
          type: arithmeticType(e.op, typeOf(left, right), typeOf(right, left)),
          op: e.op,
          left,
          right,
        };
        return isConst(left) && isConst(right) ? this.fold(b) : b;
      }
      case 'call':
        return this.call(e.name, e.args, e.star === true, e.distinct === true);
      case 'case':
        return this.caseExpr(e);
      default:
        throw new SqlError(
          4145,
          'An expression of non-boolean type specified in a context where a condition is expected.',
          {
            class: 15,
          },
        );
    }
  }

  private caseExpr(e: Extract<Expr, { kind: 'case' }>): Bound {
    const operand = e.operand;
    const whens = e.whens.map((w) => ({
      when: operand
        ? this.pred({ kind: 'compare', op: '=', left: operand, right: w.when })
        : this.pred(w.when),
      then: this.value(w.then),
    }));
    const otherwise = e.otherwise ? this.value(e.otherwise) : undefined;
    const branches = [...whens.map((w) => w.then), ...(otherwise ? [otherwise] : [])];
    const typed = branches.filter((b) => !NULL_LITERALS.has(b));
    const type = typed.length === 0 ? INT : typed.map((b) => b.type).reduce(higherPrecedence);
    const b: Bound = { k: 'case', type, whens, otherwise };
    const constant =
      whens.every((w) => w.when.k === 'bool' && isConst(w.then)) && (!otherwise || isConst(otherwise));
    return constant ? this.fold(b) : b;
  }

  private column(parts: string[], text: string): Bound {
    const name = parts[parts.length - 1]!;
    const qualifier = parts.slice(0, -1);
    const candidates =
      qualifier.length === 0 ? this.env.scope : this.env.scope.filter((s) => qualifies(s, qualifier));
    if (qualifier.length > 0 && candidates.length === 0) {
      throw new SqlError(4104, `The multi-part identifier "${text}" could not be bound.`);
    }
    const matches: Bound[] = [];
    for (const entry of candidates) {
      const ordinal = entry.relation.columns.findIndex((c) => sameName(c.name, name));
      if (ordinal < 0) continue;
      const column = entry.relation.columns[ordinal]!;
      if (column.encryption) throw encryptedColumnRead(column.name);
      entry.used.add(ordinal);
      matches.push({
        k: 'column',
        type: column.type,
        nullable: column.nullable || entry.outer,
        entry,
        ordinal,
      });
    }
    if (matches.length === 0) throw invalidColumn(name);
    if (matches.length > 1) throw new SqlError(209, `Ambiguous column name '${name}'.`);
    return matches[0]!;
  }

  private call(name: string, written: Expr[], star: boolean, distinct: boolean): Bound {
    const args = name === 'dateadd' ? [datePartArgument(written[0], name), ...written.slice(1)] : written;
    if (AGGREGATES.has(name)) return this.aggregate(name as AggregateFn, args, star, distinct);
    if (star) throw new SqlError(102, `Incorrect syntax near '*'.`, { class: 15 });
    if (name === 'default')
      throw new SqlError(156, `Incorrect syntax near the keyword 'DEFAULT'.`, { class: 15 });
    if (name === 'iif') {
      if (args.length !== 3)
        throw new SqlError(174, 'The iif function requires 3 argument(s).', { class: 15 });
      return this.caseExpr({
        kind: 'case',
        whens: [{ when: args[0]!, then: args[1]! }],
        otherwise: args[2]!,
      });
    }
    const udf = this.userFunction(name, args);
    if (udf) return udf;
    const fn = lookupFunction(name);
    if (!fn && isBuiltInFunction(name)) throw notSupported(`the function ${name.toUpperCase()}`);
    // `x.f(...)`: a method the stand-in does not implement, or a schema-qualified function.
    if (!fn && (name.startsWith('.') || name.includes('::')))
      throw notSupported(`the method or function ${name.replace(/^\./, '')}`);
    if (!fn) throw new SqlError(195, `'${name}' is not a recognized built-in function name.`, { class: 15 });
    if (args.length < fn.args[0] || args.length > fn.args[1]) {
      throw new SqlError(174, `The ${name} function requires ${fn.args[0]} argument(s).`, { class: 15 });
    }
    const bound = args.map((a) => this.value(a));
    const b: Bound = { k: 'call', type: fn.type(bound.map((a) => a.type)), name, args: bound, impl: fn.eval };
    return bound.every(isConst) ? this.fold(b) : b;
  }

  /**
   * `schema.f(args)` or `database.schema.f(args)` naming a scalar user function (parsed as a method call on
   * the name before the dot): bound to a call running its body over constants (scalar-functions.ts).
   * Never folded, as a function may read GETDATE().
   */
  private userFunction(name: string, args: Expr[]): Bound | undefined {
    const target = args[0];
    if (!name.startsWith('.') || target?.kind !== 'column' || target.parts.length > 2) return undefined;
    const { ctx } = this.env;
    const database = target.parts.length === 2 ? target.parts[0]! : ctx.database;
    const fn = ctx.catalog.scalarFunction(database, target.parts[target.parts.length - 1]!, name.slice(1));
    if (!fn) return undefined;
    checkArity(fn, args.length - 1);
    return {
      k: 'call',
      type: fn.returns,
      name: `${fn.schema}.${fn.name}`,
      args: args.slice(1).map((a) => this.value(a)),
      impl: (values, runCtx) => runScalarFunction(fn, values, functionEvaluator(runCtx)),
    };
  }

  private aggregate(fn: AggregateFn, args: Expr[], star: boolean, distinct: boolean): Bound {
    if (!this.allowAggregates) {
      throw new SqlError(
        147,
        'An aggregate may not appear in the WHERE clause unless it is in a subquery contained in a HAVING clause or a select list, and the column being aggregated is an outer reference.',
        { class: 15 },
      );
    }
    if (this.inAggregate) {
      throw new SqlError(
        130,
        'Cannot perform an aggregate function on an expression containing an aggregate or a subquery.',
      );
    }
    if (star) {
      if (fn !== 'count' && fn !== 'count_big')
        throw new SqlError(102, `Incorrect syntax near '*'.`, { class: 15 });
      return { k: 'aggregate', type: fn === 'count' ? INT : BIGINT, fn, distinct: false };
    }
    if (args.length !== 1)
      throw new SqlError(174, `The ${fn} function requires 1 argument(s).`, { class: 15 });
    this.inAggregate = true;
    let arg: Bound;
    try {
      arg = this.value(args[0]!);
    } finally {
      this.inAggregate = false;
    }
    return { k: 'aggregate', type: aggregateType(fn, arg.type), fn, arg, distinct };
  }

  /**
   * A bitwise operator takes an integer with a binary operand
   * (https://learn.microsoft.com/sql/t-sql/language-elements/bitwise-operators-transact-sql), as in
   * `sysstat & 0xf`: a binary constant is taken as a value of the integer's type.
   */
  private binaryAsInteger(op: ArithmeticOp, left: Bound, right: Bound): [Bound, Bound] {
    if (!isBitwise(op)) return [left, right];
    const asInteger = (b: Bound, other: Bound): Bound =>
      isConst(b) && isBinaryType(b.type) && isIntegerType(other.type)
        ? this.fold({ k: 'cast', type: other.type, arg: b, try: false })
        : b;
    return [asInteger(left, right), asInteger(right, left)];
  }

  pred(e: Expr): Pred {
    switch (e.kind) {
      case 'compare': {
        const left = this.value(e.left);
        const right = this.value(e.right);
        comparisonType(left.type, right.type);
        return this.foldPred({ k: 'compare', op: e.op, left, right }, isConst(left) && isConst(right));
      }
      case 'logical': {
        const left = this.pred(e.left);
        const right = this.pred(e.right);
        return this.foldPred({ k: e.op, left, right }, left.k === 'bool' && right.k === 'bool');
      }
      case 'not': {
        const p = this.pred(e.expr);
        return this.foldPred({ k: 'not', p }, p.k === 'bool');
      }
      case 'isNull': {
        const arg = this.value(e.expr);
        return this.foldPred({ k: 'isNull', arg, not: e.not }, isConst(arg));
      }
      case 'in': {
        const arg = this.value(e.expr);
        const list = e.list.map((x) => this.value(x));
        for (const item of list) comparisonType(arg.type, item.type);
        return this.foldPred({ k: 'in', arg, list, not: e.not }, isConst(arg) && list.every(isConst));
      }
      case 'between': {
        const inside: Expr = {
          kind: 'logical',
          op: 'and',
          left: { kind: 'compare', op: '>=', left: e.expr, right: e.low },
          right: { kind: 'compare', op: '<=', left: e.expr, right: e.high },
        };
        return this.pred(e.not ? { kind: 'not', expr: inside } : inside);
      }
      case 'like': {
        const arg = this.value(e.expr);
        const pattern = this.value(e.pattern);
        return this.foldPred({ k: 'like', arg, pattern, not: e.not }, isConst(arg) && isConst(pattern));
      }
      case 'exists':
        throw notSupported('EXISTS outside IF');
      default:
        throw new SqlError(
          4145,
          'An expression of non-boolean type specified in a context where a condition is expected.',
          {
            class: 15,
          },
        );
    }
  }

  private foldPred(p: Pred, constant: boolean): Pred {
    return constant ? { k: 'bool', value: evaluateConstantPred(p, this.env.ctx) } : p;
  }
}

function qualifies(entry: ScopeEntry, qualifier: string[]): boolean {
  if (entry.alias !== undefined) return qualifier.length === 1 && sameName(entry.alias, qualifier[0]!);
  const { database, schema, name } = entry.relation;
  const full = [database, schema, name];
  const tail = full.slice(full.length - qualifier.length);
  return qualifier.every((q, i) => q === '' || sameName(q, tail[i]!));
}

/** SQL Server's result type of an aggregate over a value of type `t`. */
export function aggregateType(fn: AggregateFn, t: SqlType): SqlType {
  switch (fn) {
    case 'count':
      return INT;
    case 'count_big':
      return BIGINT;
    case 'min':
    case 'max':
      if (t.name === 'bit' || isLargeObjectType(t)) {
        throw new SqlError(8117, `Operand data type ${t.name} is invalid for ${fn} operator.`);
      }
      return t;
    case 'sum':
    case 'avg': {
      if (!isNumeric(t) || t.name === 'bit') {
        throw new SqlError(8117, `Operand data type ${t.name} is invalid for ${fn} operator.`);
      }
      if (isApproxNumeric(t)) return { name: 'float' };
      if (t.name === 'money' || t.name === 'smallmoney') return { name: 'money' };
      if (t.name === 'bigint') return BIGINT;
      if (isIntegerType(t)) return INT;
      return decimal(38, fn === 'avg' ? Math.max(scaleOf(t), 6) : scaleOf(t));
    }
  }
}

/** A function body's expressions: bound over its variables alone, then evaluated. */
function functionEvaluator(ctx: EvalContext): FunctionEvaluator {
  return {
    value: (e, variables) => {
      const b = new Binder({ ctx, variables, scope: [] }, false).value(e);
      return { type: b.type, value: b.k === 'const' ? b.value : evaluateConstant(b, ctx) };
    },
    pred: (e, variables) => {
      const p = new Binder({ ctx, variables, scope: [] }, false).pred(e);
      return p.k === 'bool' ? p.value : evaluateConstantPred(p, ctx);
    },
  };
}

/**
 * A datepart argument is a bare keyword (`DATEADD(YEAR, ...)`), not a column or an expression: it becomes
 * the part's name as a constant. Anything else is error 1023, as the DATEADD page says variables are not
 * valid there (https://learn.microsoft.com/en-us/sql/t-sql/functions/dateadd-transact-sql).
 */
function datePartArgument(arg: Expr | undefined, fn: string): Expr {
  if (arg?.kind !== 'column' || arg.parts.length !== 1)
    throw new SqlError(1023, `Invalid parameter 1 specified for ${fn}.`, { class: 15 });
  return { kind: 'literal', value: { type: nvarchar(20), value: datePart(arg.parts[0]!, fn) } };
}

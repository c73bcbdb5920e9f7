/**
 * What a SELECT's reader may see: rows of a table under an enabled security policy pass its filter
 * predicates, and values projected from masked columns are masked for a reader without UNMASK.
 */
import { notSupported } from '../errors';
import type { Expr } from '../tsql/ast';
import type { SqlType } from '../types/sql-type';
import type { Bound, Pred, RowFn, ScopeEntry } from './bound';
import type { EvalContext } from './functions';
import { defaultMask, type FilterPredicate } from './security';

/** Copies `node`, replacing each variable `map` names; values inside literals are kept as they are. */
function substitute(node: unknown, map: Map<string, Expr>): unknown {
  if (Array.isArray(node)) return node.map((n) => substitute(n, map));
  if (node === null || typeof node !== 'object' || Object.getPrototypeOf(node) !== Object.prototype)
    return node;
  const record = node as Record<string, unknown>;
  if (record.kind === 'variable') return map.get(String(record.name).toLowerCase()) ?? node;
  if (record.kind === 'literal') return node;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, substitute(v, map)]));
}

/**
 * A filter predicate as a condition on the table's row: the function's WHERE with each parameter
 * replaced by the column passed for it. Filter predicates apply to every reader, whatever its
 * permissions (https://learn.microsoft.com/sql/relational-databases/security/row-level-security).
 */
export function filterCondition(entry: ScopeEntry, filter: FilterPredicate): Expr {
  // The right side of a LEFT JOIN would need the filter before the join, which the stand-in does not plan.
  if (entry.outer) throw notSupported('a table under a security policy on the right of a LEFT JOIN');
  const { relation } = entry;
  const qualifier = entry.alias !== undefined ? [entry.alias] : [relation.schema, relation.name];
  const map = new Map<string, Expr>(
    filter.fn.parameters.map((p, i) => {
      const column = filter.columns[i]!;
      return [
        p.name.toLowerCase(),
        { kind: 'column', parts: [...qualifier, column], text: [...qualifier, column].join('.') },
      ];
    }),
  );
  return substitute(filter.fn.predicate, map) as Expr;
}

function referencesMaskedColumn(b: Bound): { masked: boolean; aggregate: boolean } {
  let masked = false;
  let aggregate = false;
  const visit = (x: Bound | undefined): void => {
    if (!x) return;
    switch (x.k) {
      case 'column':
        masked ||= x.entry.relation.table?.columns[x.ordinal]?.mask !== undefined;
        return;
      case 'aggregate':
        aggregate = true;
        return visit(x.arg);
      case 'cast':
      case 'negate':
        return visit(x.arg);
      case 'arith':
        visit(x.left);
        return visit(x.right);
      case 'call':
        return x.args.forEach(visit);
      case 'case':
        // Its conditions reference columns too: a CASE over a masked column is masked.
        x.whens.forEach((w) => {
          visitPred(w.when);
          visit(w.then);
        });
        return visit(x.otherwise);
      default:
        return;
    }
  };
  const visitPred = (p: Pred): void => {
    switch (p.k) {
      case 'and':
      case 'or':
        visitPred(p.left);
        return visitPred(p.right);
      case 'not':
        return visitPred(p.p);
      case 'compare':
        visit(p.left);
        return visit(p.right);
      case 'isNull':
        return visit(p.arg);
      case 'in':
        visit(p.arg);
        return p.list.forEach(visit);
      case 'like':
        visit(p.arg);
        return visit(p.pattern);
      default:
        return;
    }
  };
  visit(b);
  return { masked, aggregate: aggregate && masked };
}

/**
 * The output of a select-list item for this reader: masked with default() of its result type when it
 * references a masked column and the reader lacks UNMASK
 * (https://learn.microsoft.com/sql/relational-databases/security/dynamic-data-masking). A NULL stays
 * NULL. Aggregates over masked columns are refused: the page does not say what they return.
 */
export function maskedOutput(b: Bound, type: SqlType, output: RowFn, ctx: EvalContext): RowFn {
  const { masked, aggregate } = referencesMaskedColumn(b);
  if (!masked || ctx.catalog.security.holds(ctx.principal, 'UNMASK')) return output;
  if (aggregate) throw notSupported('an aggregate over a masked column for a user without UNMASK');
  const mask = defaultMask(type);
  return (raw) => (output(raw) === null ? null : mask);
}

/** DEFAULT constraints are stored as T-SQL text; their parsed form is kept per text. */
import type { Expr } from '../tsql/ast';
import { parseExpression } from '../tsql/parser';

const parsed = new Map<string, Expr>();

export function parseDefaultExpression(source: string): Expr {
  let expr = parsed.get(source);
  if (!expr) {
    expr = parseExpression(source);
    parsed.set(source, expr);
  }
  return expr;
}

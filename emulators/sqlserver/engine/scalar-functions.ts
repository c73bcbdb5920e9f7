/**
 * Scalar user-defined functions, as far as old install scripts use them (AdventureWorks' ufnLeadingZeros
 * in a computed column), following CREATE FUNCTION
 * (https://learn.microsoft.com/en-us/sql/t-sql/statements/create-function-transact-sql):
 *
 * `CREATE FUNCTION schema.name ([@p type, ...]) RETURNS type [WITH SCHEMABINDING] [AS] BEGIN body END`, a
 * batch of its own. The body takes DECLARE, SET @v = ..., IF ... ELSE, BEGIN ... END and RETURN expr over
 * the parameters, variables and constants; "The last statement included within a function must be a
 * return statement" (455). A query in the body (SELECT ... FROM, an INSERT) and other options are refused
 * (50000) when the function is created, so a function that exists always runs.
 *
 * A call names the schema: "Scalar-valued functions must be invoked by using at least the two-part name of
 * the function" (same page), `dbo.f(args)`; too few arguments are 313, too many 8144. The arguments are
 * converted to the parameters' types and the result to the RETURNS type, as for assignments. Calls run
 * where the stand-in evaluates expressions itself (select lists, computed columns, CHECK constraints,
 * variables), not inside DuckDB (WHERE, JOIN, ORDER BY: refused there like other functions). Functions
 * are kept in memory, not by --data, as procedures are.
 */
import { SqlError, notSupported, syntaxError } from '../errors';
import type { Expr, Statement } from '../tsql/ast';
import { tokenize, type Token } from '../tsql/lexer';
import { parseBatch } from '../tsql/parser';
import { convert } from '../types/convert';
import type { SqlType } from '../types/sql-type';
import type { SqlValue, Typed } from '../types/values';

export interface FunctionParameter {
  name: string;
  type: SqlType;
}

export interface ScalarFunction {
  database: string;
  schema: string;
  name: string;
  parameters: FunctionParameter[];
  returns: SqlType;
  body: Statement[];
}

/** `CREATE FUNCTION schema.name (parameters)`: the tokens, the name and parameters, and what follows. */
export interface FunctionHeader {
  text: string;
  tokens: Token[];
  schema: string;
  name: string;
  parameters: FunctionParameter[];
  /** The index of the first token after the parameter list. */
  next: number;
  /** Whether token i is one of these words. */
  word(i: number, ...words: string[]): boolean;
}

/** The header of a CREATE FUNCTION batch; undefined for any other batch. */
export function functionHeader(text: string): FunctionHeader | undefined {
  const tokens = tokenize(text);
  const word = (i: number, ...ws: string[]): boolean =>
    tokens[i]?.kind === 'word' && ws.includes(tokens[i]!.text.toLowerCase());
  if (!word(0, 'create')) return undefined;
  if (word(1, 'or') && word(2, 'alter') && word(3, 'function'))
    throw notSupported('CREATE OR ALTER FUNCTION');
  if (!word(1, 'function')) return undefined;
  const open = tokens.findIndex((t) => t.kind === 'op' && t.text === '(');
  if (open < 3) throw syntaxError(tokens[2]?.text ?? '');
  const nameParts = tokens
    .slice(2, open)
    .filter((t) => t.text !== '.')
    .map((t) => t.text);
  if (nameParts.length !== 2) throw notSupported('a function name without its schema, or with a database');
  let depth = 0;
  let close = open;
  for (; close < tokens.length; close++) {
    if (tokens[close]!.text === '(') depth++;
    if (tokens[close]!.text === ')' && --depth === 0) break;
  }
  const parameterText = text.slice(tokens[open]!.end, tokens[close]!.pos).trim();
  const declared = parameterText === '' ? [] : parseBatch(`DECLARE ${parameterText}`);
  const variables = declared.flatMap((s) => (s.kind === 'declare' ? s.variables : []));
  if (variables.some((v) => v.initial)) throw notSupported('default values of function parameters');
  const parameters = variables.map((v) => ({ name: v.name, type: v.type }));
  return { text, tokens, schema: nameParts[0]!, name: nameParts[1]!, parameters, next: close + 1, word };
}

const BODY_STATEMENTS = new Set(['declare', 'setVariable', 'if', 'block', 'return']);

/** Refuses, when the function is created, a body statement it could not run. */
function checkBody(statements: Statement[]): void {
  for (const s of statements) {
    if (!BODY_STATEMENTS.has(s.kind))
      throw notSupported(
        'statements other than DECLARE, SET, IF, BEGIN ... END and RETURN in a scalar function',
      );
    if (s.kind === 'return' && !s.expr) throw syntaxError('RETURN');
    if (s.kind === 'if') checkBody([...s.then, ...(s.otherwise ?? [])]);
    if (s.kind === 'block') checkBody(s.statements);
  }
}

/**
 * The scalar function a CREATE FUNCTION batch defines; undefined when the batch is no CREATE FUNCTION or
 * defines a table-valued function (`RETURNS TABLE`, `RETURNS @t TABLE`), which security-statements.ts
 * takes or refuses.
 */
export function parseScalarFunction(header: FunctionHeader, database: string): ScalarFunction | undefined {
  const { text, tokens, word } = header;
  let i = header.next;
  if (!word(i, 'returns')) throw syntaxError(tokens[i]?.text ?? '');
  if (word(i + 1, 'table') || tokens[i + 1]?.kind === 'variable') return undefined;
  const typeStart = i + 1;
  while (i < tokens.length && !word(i, 'with', 'as', 'begin')) i++;
  const typeText = text.slice(tokens[typeStart]!.pos, tokens[i - 1]!.end);
  const [declared] = parseBatch(`DECLARE @r ${typeText}`);
  if (declared?.kind !== 'declare') throw syntaxError(typeText);
  const returns = declared.variables[0]!.type;
  if (word(i, 'with')) {
    // SCHEMABINDING only binds the function to the objects it references, which here are none.
    if (!word(i + 1, 'schemabinding') || tokens[i + 2]?.text === ',')
      throw notSupported('function options other than SCHEMABINDING');
    i += 2;
  }
  if (word(i, 'as')) i++;
  let end = tokens.length - 1;
  while (end > i && (tokens[end]!.kind === 'eof' || tokens[end]!.text === ';')) end--;
  if (!word(i, 'begin') || !word(end, 'end')) throw syntaxError(tokens[i]?.text ?? '');
  const body = parseBatch(text.slice(tokens[i]!.end, tokens[end]!.pos));
  checkBody(body);
  if (body[body.length - 1]?.kind !== 'return')
    throw new SqlError(455, 'The last statement included within a function must be a return statement.', {
      class: 15,
    });
  return { database, schema: header.schema, name: header.name, parameters: header.parameters, returns, body };
}

/** How the function's expressions are evaluated (binder.ts): over its variables and constants only. */
export interface FunctionEvaluator {
  value(e: Expr, variables: Map<string, Typed>): Typed;
  pred(e: Expr, variables: Map<string, Typed>): boolean | null;
}

/** Error 313 or 8144 for a call with the wrong number of arguments. */
export function checkArity(fn: ScalarFunction, count: number): void {
  const name = `${fn.schema}.${fn.name}`;
  if (count < fn.parameters.length)
    throw new SqlError(
      313,
      `An insufficient number of arguments were supplied for the procedure or function ${name}.`,
      { class: 15 },
    );
  if (count > fn.parameters.length)
    throw new SqlError(8144, `Procedure or function ${name} has too many arguments specified.`, {
      class: 15,
    });
}

const returned = (v: SqlValue) => ({ value: v });

/** Runs the body: the RETURN's value, converted to the RETURNS type. */
export function runScalarFunction(fn: ScalarFunction, args: Typed[], evaluate: FunctionEvaluator): SqlValue {
  const variables = new Map<string, Typed>();
  fn.parameters.forEach((p, i) =>
    variables.set(p.name.toLowerCase(), {
      type: p.type,
      value: convert(args[i]!.value, args[i]!.type, p.type),
    }),
  );
  const run = (statements: Statement[]): { value: SqlValue } | undefined => {
    for (const s of statements) {
      let result: { value: SqlValue } | undefined;
      switch (s.kind) {
        case 'declare':
          for (const v of s.variables) {
            const initial = v.initial ? evaluate.value(v.initial, variables) : { type: v.type, value: null };
            variables.set(v.name.toLowerCase(), {
              type: v.type,
              value: convert(initial.value, initial.type, v.type),
            });
          }
          break;
        case 'setVariable': {
          const target = variables.get(s.name.toLowerCase());
          if (!target)
            throw new SqlError(137, `Must declare the scalar variable "${s.name}".`, { class: 15 });
          const v = evaluate.value(s.expr, variables);
          variables.set(s.name.toLowerCase(), {
            type: target.type,
            value: convert(v.value, v.type, target.type),
          });
          break;
        }
        case 'if':
          result = run(evaluate.pred(s.condition, variables) === true ? s.then : (s.otherwise ?? []));
          break;
        case 'block':
          result = run(s.statements);
          break;
        case 'return': {
          const v = evaluate.value(s.expr!, variables);
          return returned(convert(v.value, v.type, fn.returns));
        }
      }
      if (result) return result;
    }
    return undefined;
  };
  // checkBody and the 455 check make every path that ends end with a RETURN.
  return run(fn.body)!.value;
}

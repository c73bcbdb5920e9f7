/**
 * Simple stored procedures: `CREATE PROC[EDURE] name [@p type [= constant] [OUTPUT], ...] AS <statements>`,
 * kept as the text of their body (parsed again at each call, so temporary tables and variables resolve then).
 */
import { SqlError, syntaxError } from '../errors';
import type { Expr, ObjectName } from '../tsql/ast';
import { tokenize, type Token } from '../tsql/lexer';
import { parseBatch, parseExpression, parseObjectName } from '../tsql/parser';
import { resolveType, type SqlType } from '../types/sql-type';

export interface ProcedureParameter {
  name: string;
  type: SqlType;
  output: boolean;
  default?: Expr;
}

export interface Procedure {
  /** The name as written in CREATE PROCEDURE (the last part), shown in errors. */
  name: string;
  parameters: ProcedureParameter[];
  body: string;
  /** Line of the body's first character in the CREATE batch: errors inside report lines of the batch. */
  line: number;
}

/** Returns undefined when the batch is not a CREATE PROCEDURE. */
export function parseCreateProcedure(text: string): { name: ObjectName; procedure: Procedure } | undefined {
  const tokens = tokenize(text);
  let i = 0;
  const word = (t: Token, ...ws: string[]): boolean => t.kind === 'word' && ws.includes(t.text.toLowerCase());
  if (!word(tokens[0]!, 'create')) return undefined;
  i = 1;
  if (word(tokens[1]!, 'or')) {
    if (!word(tokens[2]!, 'alter') || !word(tokens[3]!, 'proc', 'procedure')) return undefined;
    throw new SqlError(50000, 'The SQL Server stand-in does not support CREATE OR ALTER PROCEDURE.');
  }
  if (!word(tokens[i]!, 'proc', 'procedure')) return undefined;
  i++;
  const nameStart = tokens[i]!.pos;
  while (tokens[i]!.kind === 'word' || tokens[i]!.kind === 'quoted' || tokens[i]!.text === '.') {
    if (word(tokens[i]!, 'as') && tokens[i - 1]!.text !== '.') break;
    i++;
  }
  if (i === 2) throw syntaxError(tokens[i]!.text);
  const name = parseObjectName(text.slice(nameStart, tokens[i - 1]!.end));
  if (name.parts[name.parts.length - 1]!.includes(';')) {
    throw new SqlError(50000, 'The SQL Server stand-in does not support numbered procedures.');
  }
  const parenthesized = tokens[i]!.text === '(' && tokens[i]!.kind === 'op';
  if (parenthesized) i++;
  const parameters: ProcedureParameter[] = [];
  while (tokens[i]!.kind === 'variable') {
    const pname = tokens[i++]!.text;
    if (word(tokens[i]!, 'as')) i++;
    const typeName = tokens[i++]!;
    if (typeName.kind !== 'word' && typeName.kind !== 'quoted') throw syntaxError(typeName.text);
    // `@flag [dbo].[Flag]`: an alias type named with its schema, which parameters do not resolve here.
    if (tokens[i]!.text === '.') {
      throw new SqlError(
        50000,
        'The SQL Server stand-in does not support alias types (schema.type) as procedure parameters.',
      );
    }
    const args: (number | 'max')[] = [];
    if (tokens[i]!.text === '(') {
      i++;
      while (tokens[i]!.text !== ')') {
        const a = tokens[i++]!;
        if (a.kind === 'eof') throw syntaxError(a.text);
        if (a.text === ',') continue;
        args.push(a.text.toLowerCase() === 'max' ? 'max' : Number(a.text));
      }
      i++;
    }
    if (word(tokens[i]!, 'readonly', 'varying')) {
      throw new SqlError(
        50000,
        `The SQL Server stand-in does not support ${tokens[i]!.text.toUpperCase()} parameters.`,
      );
    }
    let defaultExpr: Expr | undefined;
    if (tokens[i]!.text === '=' && tokens[i]!.kind === 'op') {
      i++;
      const start = tokens[i]!.pos;
      while (
        tokens[i]!.kind !== 'eof' &&
        tokens[i]!.text !== ',' &&
        // A default is a constant or NULL, so the procedure's WITH options cannot be part of it.
        !word(tokens[i]!, 'output', 'out', 'as', 'with')
      ) {
        if (tokens[i]!.text === ')' && parenthesized && tokens[i + 1] && word(tokens[i + 1]!, 'as')) break;
        i++;
      }
      defaultExpr = parseExpression(text.slice(start, tokens[i - 1]!.end));
    }
    let output = false;
    if (word(tokens[i]!, 'output', 'out')) {
      output = true;
      i++;
    }
    parameters.push({ name: pname, type: resolveType(typeName.text, args), output, default: defaultExpr });
    if (tokens[i]!.text === ',') i++;
  }
  if (parenthesized) {
    if (tokens[i]!.text !== ')') throw syntaxError(tokens[i]!.text);
    i++;
  }
  if (word(tokens[i]!, 'with')) {
    throw new SqlError(50000, 'The SQL Server stand-in does not support procedure options (WITH ...).');
  }
  if (!word(tokens[i]!, 'as')) throw syntaxError(tokens[i]!.text);
  const as = tokens[i]!;
  const body = text.slice(as.end);
  const line = text.slice(0, as.end).split('\n').length;
  // Parsed now so that syntax errors and unsupported statements are reported by CREATE, as SQL Server does.
  parseBatch(body);
  return { name, procedure: { name: name.parts[name.parts.length - 1]!, parameters, body, line } };
}

/** Thrown by RETURN; carries the procedure's return status. */
export class Returned extends Error {
  constructor(readonly status: number) {
    super('RETURN');
  }
}

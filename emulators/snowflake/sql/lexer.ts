/**
 * Tokenizer for the Snowflake SQL the stand-in understands. Comments and white space are dropped;
 * every token keeps its position so errors can say where (Snowflake counts lines from 1 and
 * positions from 0).
 */
import { syntaxError } from '../errors';

export type TokenKind =
  | 'word' // unquoted identifier or keyword; `value` is folded to upper case
  | 'quoted' // "quoted identifier"; `value` keeps its case
  | 'string' // 'literal' or $$literal$$; `value` is the decoded text
  | 'number'
  | 'bind' // ? or :1
  | 'stage' // @stage/path, @~/path, @%table
  | 'op'; // punctuation and operators

export interface Token {
  kind: TokenKind;
  value: string;
  /** The source text of the token. */
  text: string;
  start: number;
  end: number;
  line: number;
  column: number;
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;
const TWO_CHAR_OPS = new Set(['::', '||', '<=', '>=', '<>', '!=', '=>', '->']);
const STAGE_PATH_END = /[\s;)]/;

/** Backslash escapes allowed in single-quoted literals. */
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  "'": "'",
  '"': '"',
  '\\': '\\',
};

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (at: number): never => {
    const lines = sql.slice(0, at).split('\n');
    throw syntaxError(lines.length, lines[lines.length - 1]!.length, sql.slice(at, at + 10).split(/\s/)[0]!);
  };
  const push = (kind: TokenKind, value: string, start: number) =>
    tokens.push({ kind, value, text: sql.slice(start, i), start, end: i, line, column: start - lineStart });
  /** A literal may span lines: it keeps the position where it starts. */
  const pushString = (value: string, start: number, startLine: number, startColumn: number) => {
    advanceLines(start, i);
    tokens.push({
      kind: 'string',
      value,
      text: sql.slice(start, i),
      start,
      end: i,
      line: startLine,
      column: startColumn,
    });
  };
  const advanceLines = (from: number, to: number) => {
    for (let k = from; k < to; k++) {
      if (sql[k] === '\n') {
        line += 1;
        lineStart = k + 1;
      }
    }
  };

  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if ((c === '-' && next === '-') || (c === '/' && next === '/')) {
      while (i < sql.length && sql[i] !== '\n') i += 1;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) fail(i);
      advanceLines(i, close);
      i = close + 2;
      continue;
    }
    const start = i;
    const startLine = line;
    const startColumn = start - lineStart;
    if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= sql.length) fail(start);
        const ch = sql[i]!;
        if (ch === '\\') {
          const esc = sql[i + 1] ?? '';
          value += ESCAPES[esc] ?? esc;
          i += 2;
        } else if (ch === "'" && sql[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (ch === "'") {
          i += 1;
          break;
        } else {
          value += ch;
          i += 1;
        }
      }
      pushString(value, start, startLine, startColumn);
      continue;
    }
    if (c === '$' && next === '$') {
      const close = sql.indexOf('$$', i + 2);
      if (close < 0) fail(i);
      const value = sql.slice(i + 2, close);
      i = close + 2;
      pushString(value, start, startLine, startColumn);
      continue;
    }
    if (c === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= sql.length) fail(start);
        if (sql[i] === '"' && sql[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (sql[i] === '"') {
          i += 1;
          break;
        } else {
          value += sql[i];
          i += 1;
        }
      }
      if (value === '') fail(start);
      push('quoted', value, start);
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      while (i < sql.length && /[0-9]/.test(sql[i]!)) i += 1;
      if (sql[i] === '.') {
        i += 1;
        while (i < sql.length && /[0-9]/.test(sql[i]!)) i += 1;
      }
      if ((sql[i] === 'e' || sql[i] === 'E') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < sql.length && /[0-9]/.test(sql[i]!)) i += 1;
      }
      push('number', sql.slice(start, i), start);
      continue;
    }
    if (WORD_START.test(c)) {
      while (i < sql.length && WORD_PART.test(sql[i]!)) i += 1;
      push('word', sql.slice(start, i).toUpperCase(), start);
      continue;
    }
    // $1, $2: a staged file's fields in COPY's transformation
    // (https://docs.snowflake.com/en/user-guide/data-load-transform).
    if (c === '$' && next !== undefined && /[0-9]/.test(next)) {
      i += 1;
      while (i < sql.length && /[0-9]/.test(sql[i]!)) i += 1;
      push('word', sql.slice(start, i), start);
      continue;
    }
    if (c === '?') {
      i += 1;
      push('bind', '', start);
      continue;
    }
    if (c === ':' && next !== undefined && /[0-9]/.test(next)) {
      i += 1;
      while (i < sql.length && /[0-9]/.test(sql[i]!)) i += 1;
      push('bind', sql.slice(start + 1, i), start);
      continue;
    }
    if (c === '@') {
      i = scanStageReference(sql, i + 1);
      push('stage', sql.slice(start, i), start);
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      i += 2;
      push('op', two, start);
      continue;
    }
    if ('(),.;=<>+-*/%[]{}:|&^~!'.includes(c)) {
      i += 1;
      push('op', c, start);
      continue;
    }
    fail(i);
  }
  return tokens;
}

/** A stage reference runs to white space, `;` or `)`; quoted name parts may hold anything. */
export function scanStageReference(sql: string, from: number): number {
  let i = from;
  while (i < sql.length && !STAGE_PATH_END.test(sql[i]!)) {
    if (sql[i] === '"') {
      i += 1;
      while (i < sql.length && !(sql[i] === '"' && sql[i + 1] !== '"')) i += sql[i] === '"' ? 2 : 1;
    }
    i += 1;
  }
  return i;
}

/** The token text that a syntax error quotes. */
export function syntaxErrorAt(tokens: Token[], index: number, sqlLength: number): Error {
  const token = tokens[index];
  if (!token) {
    const last = tokens[tokens.length - 1];
    return syntaxError(last?.line ?? 1, last ? last.column + last.text.length : sqlLength, '');
  }
  return syntaxError(token.line, token.column, token.text);
}

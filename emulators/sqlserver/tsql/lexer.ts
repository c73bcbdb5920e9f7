/** T-SQL tokens: identifiers (plain, [bracketed], "quoted"), literals, variables, operators. */
import { SqlError } from '../errors';

export type TokenKind =
  | 'word'
  | 'quoted'
  | 'string'
  | 'nstring'
  | 'number'
  | 'money'
  | 'binary'
  | 'variable'
  | 'global'
  | 'op'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The value: identifier without quotes, string contents, operator text, number text. */
  text: string;
  /** Offset of the token in the source. */
  pos: number;
  end: number;
}

const OPERATORS = [
  '::',
  '<>',
  '!=',
  '<=',
  '>=',
  '!<',
  '!>',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  ',',
  '.',
  ';',
  '~',
  '&',
  '|',
  '^',
];

const isIdentStart = (c: string): boolean => /[\p{L}_#@]/u.test(c);
const isIdentPart = (c: string): boolean => /[\p{L}\p{N}_#@$]/u.test(c);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && source[i + 1] === '-') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      let depth = 0;
      do {
        if (source.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (source.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < n);
      if (depth > 0) throw new SqlError(113, "Missing end comment mark '*/'.", { class: 15 });
      continue;
    }
    const start = i;
    if (c === "'" || ((c === 'N' || c === 'n') && source[i + 1] === "'")) {
      const national = c !== "'";
      i += national ? 2 : 1;
      let text = '';
      for (;;) {
        if (i >= n) {
          throw new SqlError(105, `Unclosed quotation mark after the character string '${text}'.`, {
            class: 15,
          });
        }
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i++];
      }
      tokens.push({ kind: national ? 'nstring' : 'string', text, pos: start, end: i });
      continue;
    }
    if (c === '[' || c === '"') {
      const close = c === '[' ? ']' : '"';
      i++;
      let text = '';
      for (;;) {
        if (i >= n) {
          throw new SqlError(105, `Unclosed quotation mark after the character string '${text}'.`, {
            class: 15,
          });
        }
        if (source[i] === close) {
          if (source[i + 1] === close) {
            text += close;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += source[i++];
      }
      tokens.push({ kind: 'quoted', text, pos: start, end: i });
      continue;
    }
    if (c === '0' && (source[i + 1] === 'x' || source[i + 1] === 'X')) {
      i += 2;
      while (i < n && /[0-9a-fA-F]/.test(source[i]!)) i++;
      tokens.push({ kind: 'binary', text: source.slice(start + 2, i), pos: start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      while (i < n && /[0-9]/.test(source[i]!)) i++;
      if (source[i] === '.') {
        i++;
        while (i < n && /[0-9]/.test(source[i]!)) i++;
      }
      if ((source[i] === 'e' || source[i] === 'E') && /[0-9+-]/.test(source[i + 1] ?? '')) {
        i++;
        if (source[i] === '+' || source[i] === '-') i++;
        while (i < n && /[0-9]/.test(source[i]!)) i++;
      }
      tokens.push({ kind: 'number', text: source.slice(start, i), pos: start, end: i });
      continue;
    }
    if (c === '$' && /[0-9.]/.test(source[i + 1] ?? '')) {
      i++;
      while (i < n && /[0-9.]/.test(source[i]!)) i++;
      tokens.push({ kind: 'money', text: source.slice(start + 1, i), pos: start, end: i });
      continue;
    }
    if (c === '@') {
      const global = source[i + 1] === '@';
      i += global ? 2 : 1;
      while (i < n && isIdentPart(source[i]!)) i++;
      tokens.push({ kind: global ? 'global' : 'variable', text: source.slice(start, i), pos: start, end: i });
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(source[i]!)) i++;
      tokens.push({ kind: 'word', text: source.slice(start, i), pos: start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new SqlError(102, `Incorrect syntax near '${c}'.`, { class: 15 });
    i += op.length;
    tokens.push({ kind: 'op', text: op, pos: start, end: i });
  }
  tokens.push({ kind: 'eof', text: '', pos: n, end: n });
  return tokens;
}

/** Splits a script into batches at lines holding only `GO` (optionally with a repeat count). */
export function splitBatches(script: string): string[] {
  const batches: string[] = [];
  let current: string[] = [];
  for (const line of script.split(/\r?\n/)) {
    const go = /^\s*go(?:\s+(\d+))?\s*(?:--.*)?$/i.exec(line);
    if (go) {
      const text = current.join('\n');
      const times = go[1] ? Number(go[1]) : 1;
      if (text.trim() !== '') for (let k = 0; k < times; k++) batches.push(text);
      current = [];
    } else current.push(line);
  }
  const rest = current.join('\n');
  if (rest.trim() !== '') batches.push(rest);
  return batches;
}

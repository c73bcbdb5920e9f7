/**
 * Snowflake identifier rules: unquoted names fold to upper case, quoted names keep their case exactly,
 * and object names have up to three parts (database.schema.object). Pure.
 */
import type { Token } from './lexer';

/** The name a token stands for: a word is already folded by the lexer, a quoted name is kept. */
export function identifierOf(token: Token): string {
  return token.value;
}

/**
 * With QUOTED_IDENTIFIERS_IGNORE_CASE = TRUE, letters in double-quoted identifiers are stored and
 * resolved as upper case (so `AS "rows"` names the column ROWS):
 * https://docs.snowflake.com/en/sql-reference/identifiers-syntax#controlling-case-using-the-quoted-identifiers-ignore-case-parameter
 */
export function foldQuotedNames(tokens: Token[], ignoreCase: boolean): Token[] {
  if (!ignoreCase) return tokens;
  return tokens.map((t) =>
    t.kind === 'quoted'
      ? { ...t, value: t.value.toUpperCase() }
      : t.kind === 'stage'
        ? { ...t, value: foldStageName(t.value) }
        : t,
  );
}

/**
 * A stage reference with QUOTED_IDENTIFIERS_IGNORE_CASE: the quoted parts of its name in upper case,
 * its path (file names) as it is.
 */
export function foldStageName(text: string): string {
  const end = stageNameEnd(text);
  return text.slice(0, end).replace(/"(?:[^"]|"")*"/g, (part) => part.toUpperCase()) + text.slice(end);
}

/** Index of the `/` that ends a stage reference's name (quoted parts may hold one). */
export function stageNameEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '/' && !quoted) return i;
  }
  return text.length;
}

export function isIdentifierToken(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted');
}

/** Quotes a name for DuckDB or for Snowflake output: both double the embedded quote. */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** How Snowflake prints a name in messages: bare when it would survive unquoted, otherwise quoted. */
export function displayName(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : quoteName(name);
}

export function displayQualified(parts: readonly string[]): string {
  return parts.map(displayName).join('.');
}

/** SQL text for a single-quoted literal (Snowflake and DuckDB both double the quote). */
export function stringLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface QualifiedName {
  parts: string[];
  /** Index of the first token after the name. */
  next: number;
}

/** Reads `a`, `a.b` or `a.b.c` (a missing middle part, `a..c`, means the PUBLIC schema). */
export function readQualifiedName(tokens: Token[], start: number): QualifiedName | undefined {
  const first = tokens[start];
  if (!isIdentifierToken(first)) return undefined;
  const parts = [identifierOf(first)];
  let i = start + 1;
  while (tokens[i]?.kind === 'op' && tokens[i]!.value === '.') {
    if (tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.value === '.' && parts.length === 1) {
      parts.push('PUBLIC');
      i += 1;
      continue;
    }
    const part = tokens[i + 1];
    if (!isIdentifierToken(part)) break;
    parts.push(identifierOf(part));
    i += 2;
  }
  return { parts, next: i };
}

/** SQL LIKE (case-insensitive, as SHOW ... LIKE is) as a regular expression. */
export function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i]!);
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'isu' : 'su');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

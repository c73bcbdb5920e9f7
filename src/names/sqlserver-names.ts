/**
 * SQL Server's names as a config writes them and as the migrator shows them: `table`, `schema.table`,
 * `[schema].[table name]` or `"schema"."table"`, and the patterns (`dbo.*`) a config may select by.
 * Pure and free of imports a workflow bundle could not take: the config schema, the workflows and the
 * T-SQL builders (src/sql/sqlserver/queries.ts) all use it.
 * Delimited identifiers, in [brackets] or "double quotes":
 * https://learn.microsoft.com/en-us/sql/relational-databases/databases/database-identifiers
 * A `]` inside brackets is doubled, as QUOTENAME does:
 * https://learn.microsoft.com/sql/t-sql/functions/quotename-transact-sql
 */
import type { SourceTableRef } from '../contracts/table';

export function quoteIdentifier(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** One part of a dotted name; `quoted` when it was written in [brackets] or "quotes". */
export interface NamePart {
  text: string;
  quoted: boolean;
}

/** Splits `a.b`, `[a].[b c]` (with `]]` escapes) or `"a"."b"` into its parts, brackets removed. */
export function splitNameParts(text: string): NamePart[] {
  const parts: NamePart[] = [];
  let i = 0;
  const input = text.trim();
  while (i < input.length) {
    const open = input[i];
    if (open === '[' || open === '"') {
      const close = open === '[' ? ']' : '"';
      let part = '';
      i += 1;
      for (;;) {
        if (i >= input.length) throw new Error(`Unterminated ${open}...${close} in table name "${text}".`);
        if (input[i] === close) {
          if (input[i + 1] === close) {
            part += close;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        part += input[i];
        i += 1;
      }
      parts.push({ text: part, quoted: true });
    } else {
      const end = input.indexOf('.', i);
      parts.push({ text: input.slice(i, end === -1 ? input.length : end).trim(), quoted: false });
      i = end === -1 ? input.length : end;
    }
    if (i < input.length) {
      if (input[i] !== '.') throw new Error(`Unexpected "${input[i]}" in table name "${text}".`);
      i += 1;
      if (i === input.length) parts.push({ text: '', quoted: false }); // a trailing dot leaves an empty part
    }
  }
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p.text === '')) {
    throw new Error(`"${text}" is not a table name: write table, schema.table or [schema].[table name].`);
  }
  return parts;
}

/** Whether a name has `*` in an unbracketed part: a pattern (src/selection/table-selection.ts). */
export function isNamePattern(text: string): boolean {
  return splitNameParts(text).some((p) => !p.quoted && p.text.includes('*'));
}

/** Parses `table`, `schema.table`, `[schema].[table name]` (with `]]` escapes) or `"schema"."table"`. */
export function parseTableName(text: string, defaultSchema = 'dbo'): SourceTableRef {
  const parts = splitNameParts(text).map((p) => p.text);
  return parts.length === 1
    ? { schema: defaultSchema, table: parts[0]! }
    : { schema: parts[0]!, table: parts[1]! };
}

export function displayTableName(ref: SourceTableRef): string {
  const plain = (part: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? part : quoteIdentifier(part));
  return `${plain(ref.schema)}.${plain(ref.table)}`;
}

/** A `migration.tables` entry that selects tables by a pattern (`dbo.*`) instead of naming one. */
export interface TablePattern {
  pattern: string;
}

export function isPattern<T extends object>(selector: T | TablePattern): selector is TablePattern {
  return 'pattern' in selector;
}

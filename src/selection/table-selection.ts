/**
 * Which source tables a run migrates: the explicit entries and the patterns of `migration.tables`,
 * less what `migration.exclude` matches, resolved against the base tables SQL Server's catalog lists.
 * Pure: the catalog is an argument, and src/cli/selected-tables.ts reads it and raises the problems.
 * The name parsing and pattern test the config schema needs are in src/names/sqlserver-names.ts.
 *
 * A pattern is a name with `*` (any run of characters) in an unbracketed part: `dbo.*`, `sales.Order*`,
 * `*.*`, `[my schema].*`. A bracketed or quoted part is always exact, so `[dbo].[tmp*]` names one table.
 * Names match case-insensitively, as under SQL Server's default (case-insensitive) collations.
 */
import type { TableConfig, TableSelector } from '../config/schema';
import type { SourceTableRef, TargetSchemaMode } from '../contracts/table';
import { displayTableName, isPattern, parseTableName, splitNameParts } from '../names/sqlserver-names';
import { targetNameClash } from '../names/target-names';

type RefMatcher = (ref: SourceTableRef) => boolean;

/** `sales.Order*` -> a test of (schema, table); one part means the dbo schema, as for exact names. */
export function compilePattern(text: string, defaultSchema = 'dbo'): RefMatcher {
  const parts = splitNameParts(text);
  const schema = parts.length === 2 ? parts[0]! : { text: defaultSchema, quoted: true };
  const table = parts[parts.length - 1]!;
  const regex = (part: { text: string; quoted: boolean }) => {
    const escaped = (s: string) => s.replace(/[\\^$.|?+()[\]{}*]/g, '\\$&');
    const body = part.quoted ? escaped(part.text) : part.text.split('*').map(escaped).join('.*');
    return new RegExp(`^${body}$`, 'iu');
  };
  const [s, t] = [regex(schema), regex(table)];
  return (ref) => s.test(ref.schema) && t.test(ref.table);
}

function byName(a: SourceTableRef, b: SourceTableRef): number {
  const key = (r: SourceTableRef) => [r.schema.toLowerCase(), r.table.toLowerCase(), r.schema, r.table];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

const sameRef = (a: SourceTableRef, b: SourceTableRef) => a.schema === b.schema && a.table === b.table;

/**
 * The catalog tables an explicit entry stands for: the one spelt exactly as written, else those equal
 * to it case-insensitively (a case-sensitive database may hold both Orders and orders).
 */
function claimedBy(entry: TableConfig, catalog: SourceTableRef[]): SourceTableRef[] {
  const ref = parseTableName(entry.source);
  const exact = catalog.filter((c) => sameRef(c, ref));
  return exact.length ? exact : catalog.filter(compilePattern(displayTableName(ref)));
}

export interface TableSelection {
  tables: TableSelector[];
  exclude: string[];
}

/**
 * The explicit list a run is started with. Explicit entries stay as written, with their options, and
 * win over any pattern that matches the same table; `exclude` removes pattern matches only. Each pattern
 * contributes its matches in name order, once. `problems` (with the config path of each) when a
 * pattern matches no base table, when nothing is left, or when two selected tables would get the same
 * Snowflake name.
 */
export function resolveTableSelection(
  selection: TableSelection,
  catalog: SourceTableRef[],
  schemas: TargetSchemaMode = 'single',
): { tables: TableConfig[]; problems: string[] } {
  const problems: string[] = [];
  const explicit = selection.tables.filter((t): t is TableConfig => !isPattern(t));
  const taken = explicit.flatMap((entry) => claimedBy(entry, catalog));
  const excluded = selection.exclude.map((text) => compilePattern(text));
  const resolved: TableConfig[] = [];
  for (const [index, selector] of selection.tables.entries()) {
    if (!isPattern(selector)) {
      resolved.push(selector);
      continue;
    }
    const matches = catalog.filter(compilePattern(selector.pattern)).sort(byName);
    if (!matches.length) {
      problems.push(
        `migration.tables[${index}]: the pattern ${selector.pattern} matches no table in the source database`,
      );
    }
    for (const ref of matches) {
      if (taken.some((t) => sameRef(t, ref)) || excluded.some((isExcluded) => isExcluded(ref))) continue;
      taken.push(ref);
      resolved.push({ source: displayTableName(ref) });
    }
  }
  if (!problems.length && !resolved.length)
    problems.push('migration.tables: no table is left to migrate once migration.exclude is applied');
  const clash = targetNameClash(resolved, schemas);
  if (clash) problems.push(`migration.tables: ${clash.message}`);
  return { tables: resolved, problems };
}

/**
 * SQL Server's MS_Description extended properties as Snowflake comments: the table's as the table's
 * COMMENT, each copied column's as its column COMMENT. Pure.
 * https://docs.snowflake.com/en/sql-reference/sql/create-table (COMMENT on the table and on a column)
 */
import type { SourceDescriptions } from '../source/catalog-facts';
import type { TargetColumn } from '../sql/snowflake/statements';
import type { TableShape } from './table-shape';

export function describedColumns(
  shape: Pick<TableShape, 'mappings' | 'targetColumns'>,
  descriptions: SourceDescriptions | { unknown: string },
): { columns: TargetColumn[]; comment?: string } {
  if ('unknown' in descriptions) return { columns: shape.targetColumns };
  const columns = shape.targetColumns.map((column, i) => {
    const comment = descriptions.columns[shape.mappings[i]!.column.name];
    return comment === undefined ? column : { ...column, comment };
  });
  return descriptions.table === undefined ? { columns } : { columns, comment: descriptions.table };
}

/** Rows of DESCRIPTIONS_QUERY as descriptions: a NULL column name is the table's own. Pure. */
export function describedBy(
  rows: { column_name: string | null; description: string | null }[],
): SourceDescriptions {
  const found: SourceDescriptions = { columns: {} };
  for (const r of rows) {
    if (r.description === null || r.description === '') continue;
    if (r.column_name === null) found.table = r.description;
    else found.columns[r.column_name] = r.description;
  }
  return found;
}

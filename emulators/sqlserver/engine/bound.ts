/**
 * Bound expressions: names resolved, every node typed with its SQL Server type, constants folded. They
 * are then either evaluated in JavaScript (evaluate.ts) or turned into DuckDB SQL (pushdown.ts).
 */
import type { DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { SqlType } from '../types/sql-type';
import type { SqlValue, Typed } from '../types/values';
import type { ArithmeticOp, CompareOp } from '../tsql/ast';
import type { CatalogView } from './catalog-views';
import type { ColumnInfo, TableInfo } from './catalog';
import type { EvalContext } from './functions';

/** A table, catalog view or CHANGETABLE(CHANGES ...) in FROM. */
export interface Relation {
  database: string;
  schema: string;
  name: string;
  columns: ColumnInfo[];
  table?: TableInfo;
  view?: CatalogView;
  /** CHANGETABLE(CHANGES ...): the DuckDB relation computing the changes. */
  changes?: string;
}

export interface ScopeEntry {
  relation: Relation;
  /** The alias the DuckDB query uses (r0, r1, ...). */
  sqlAlias: string;
  /** The alias the user gave, which then is the only name that qualifies the table. */
  alias?: string;
  /** The right side of a LEFT JOIN: every column may be NULL. */
  outer: boolean;
  /** Column ordinals the query reads, so catalog views only materialise those. */
  used: Set<number>;
}

export type AggregateFn = 'count' | 'count_big' | 'min' | 'max' | 'sum' | 'avg';

export type Bound =
  | { k: 'const'; type: SqlType; value: SqlValue }
  | { k: 'column'; type: SqlType; nullable: boolean; entry: ScopeEntry; ordinal: number }
  | { k: 'aggregate'; type: SqlType; fn: AggregateFn; arg?: Bound; distinct: boolean }
  | { k: 'cast'; type: SqlType; arg: Bound; style?: number; try: boolean }
  | { k: 'arith'; type: SqlType; op: ArithmeticOp; left: Bound; right: Bound }
  | { k: 'negate'; type: SqlType; arg: Bound }
  | {
      k: 'call';
      type: SqlType;
      name: string;
      args: Bound[];
      impl: (args: Typed[], ctx: EvalContext) => SqlValue;
    }
  | { k: 'case'; type: SqlType; whens: { when: Pred; then: Bound }[]; otherwise?: Bound };

export type Pred =
  | { k: 'bool'; value: boolean | null }
  | { k: 'compare'; op: CompareOp; left: Bound; right: Bound }
  | { k: 'and' | 'or'; left: Pred; right: Pred }
  | { k: 'not'; p: Pred }
  | { k: 'isNull'; arg: Bound; not: boolean }
  | { k: 'in'; arg: Bound; list: Bound[]; not: boolean }
  | { k: 'like'; arg: Bound; pattern: Bound; not: boolean };

/** Positional parameters of one DuckDB statement, each with its DuckDB type. */
export class QueryParams {
  readonly values: DuckDBValue[] = [];
  readonly types: DuckDBType[] = [];

  add(value: DuckDBValue, type: DuckDBType): string {
    this.values.push(value);
    this.types.push(type);
    return `$${this.values.length}`;
  }
}

/** A value computed per row from what DuckDB returned. */
export type RowFn = (raw: unknown[]) => SqlValue;

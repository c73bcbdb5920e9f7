/**
 * Plans a SELECT: DuckDB filters, joins, groups, orders and pages the stored rows (pushdown.ts); the select
 * list is computed in JavaScript from the columns DuckDB returns, so that CAST/CONVERT produce SQL Server's
 * exact text and every value keeps its SQL Server type on the wire.
 */
import { SqlError, encryptedColumnRead, notSupported } from '../errors';
import { convert } from '../types/convert';
import { isIntegerType, isScaledNumeric, scaleOf, type SqlType } from '../types/sql-type';
import type { Expr, ObjectName, Select, TableRef } from '../tsql/ast';
import type { ResultColumn } from '../tds/tokens';
import { type BindEnv, Binder } from './binder';
import { type Bound, type Pred, QueryParams, type Relation, type RowFn, type ScopeEntry } from './bound';
import { compileValue, evaluateConstant, type SlotSource } from './evaluate';
import { Pushdown } from './pushdown';
import { filterCondition, maskedOutput } from './row-security';
import { composer, physicalColumns, physicalTableName, storageValues } from './storage';
import { rescale } from '../types/decimal';

export interface SelectPlan {
  columns: ResultColumn[];
  /** The DuckDB query; absent for a SELECT without FROM. */
  query?: { sql: string; params: QueryParams };
  /** Each output column from one DuckDB result row (an empty row for a SELECT without FROM). */
  outputs: RowFn[];
  /** A SELECT without FROM whose WHERE is not true returns nothing. */
  empty: boolean;
  /** SELECT @variable = ... assignments, by variable name. */
  assignments?: string[];
  /** Select-list positions (from 1) of the ORDER BY items that are result columns: the ORDER token. */
  order?: number[];
}

export interface PlanEnv extends Omit<BindEnv, 'scope'> {
  /** Finds a table or catalog view; throws 208 for an unknown name. */
  resolve(name: ObjectName): Relation;
  /** CHANGETABLE(CHANGES name, lastVersion); 22105 when the table is not tracked. */
  resolveChanges(name: ObjectName, lastVersion: Expr): Relation;
}

type ColumnOrAggregate = Extract<Bound, { k: 'column' } | { k: 'aggregate' }>;

function walk(b: Bound, visit: (b: Bound) => void): void {
  visit(b);
  switch (b.k) {
    case 'cast':
    case 'negate':
      walk(b.arg, visit);
      break;
    case 'arith':
      walk(b.left, visit);
      walk(b.right, visit);
      break;
    case 'call':
      b.args.forEach((a) => walk(a, visit));
      break;
    case 'case':
      b.whens.forEach((w) => {
        walkPred(w.when, visit);
        walk(w.then, visit);
      });
      if (b.otherwise) walk(b.otherwise, visit);
      break;
    case 'aggregate':
      break;
  }
}

function walkPred(p: Pred, visit: (b: Bound) => void): void {
  switch (p.k) {
    case 'and':
    case 'or':
      walkPred(p.left, visit);
      walkPred(p.right, visit);
      break;
    case 'not':
      walkPred(p.p, visit);
      break;
    case 'compare':
      walk(p.left, visit);
      walk(p.right, visit);
      break;
    case 'isNull':
      walk(p.arg, visit);
      break;
    case 'in':
      walk(p.arg, visit);
      p.list.forEach((b) => walk(b, visit));
      break;
    case 'like':
      walk(p.arg, visit);
      walk(p.pattern, visit);
      break;
  }
}

const hasAggregate = (b: Bound): boolean => {
  let found = false;
  walk(b, (x) => (found ||= x.k === 'aggregate'));
  return found;
};

/** Columns referenced outside aggregates: in a grouped query they must be grouped. */
function ungroupedColumns(b: Bound): Extract<Bound, { k: 'column' }>[] {
  const found: Extract<Bound, { k: 'column' }>[] = [];
  walk(b, (x) => {
    if (x.k === 'column') found.push(x);
  });
  return found;
}

function isNullable(b: Bound): boolean {
  switch (b.k) {
    case 'const':
      return b.value === null;
    case 'column':
      return b.nullable;
    case 'aggregate':
      return b.fn !== 'count' && b.fn !== 'count_big';
    case 'cast':
    case 'negate':
      return b.k === 'cast' && b.try ? true : isNullable(b.arg);
    case 'arith':
      return isNullable(b.left) || isNullable(b.right);
    default:
      return true;
  }
}

function constantInt(b: Bound, what: string, ctx: BindEnv['ctx']): number {
  if (b.k !== 'const' || b.value === null) throw notSupported(`a ${what} that is not a constant`);
  return Number(convert(evaluateConstant(b, ctx), b.type, { name: 'bigint' }));
}

/** The DuckDB relation of a table, or of a catalog view materialised as VALUES for the columns used. */
function relationSql(entry: ScopeEntry, params: QueryParams, env: PlanEnv): string {
  const { relation } = entry;
  if (relation.table) return physicalTableName(relation.table.objectId);
  if (relation.changes) return relation.changes;
  const view = relation.view!;
  const used = [...entry.used].sort((a, b) => a - b);
  const physical = used.flatMap((i) => physicalColumns(view.columns[i]!.type, i));
  if (physical.length === 0)
    physical.push({ name: 'c0', duckType: physicalColumns(view.columns[0]!.type, 0)[0]!.duckType });
  const names = physical.map((p) => p.name).join(', ');
  const rows = view.rows(env.ctx.catalog, relation.database, env.ctx.principal);
  if (rows.length === 0) {
    return `(SELECT ${physical.map((p) => `CAST(NULL AS ${p.duckType.toString()}) AS ${p.name}`).join(', ')} WHERE FALSE)`;
  }
  const values = rows.map((row) => {
    const cells = used.flatMap((i) => {
      const type = view.columns[i]!.type;
      if (view.rowCount?.column === i)
        return [`(SELECT COUNT(*) FROM ${physicalTableName(Number(row[view.rowCount.table]))})`];
      return storageValues(type, row[i] ?? null).map((v, j) =>
        params.add(v, physicalColumns(type, i)[j]!.duckType),
      );
    });
    return `(${cells.length > 0 ? cells.join(', ') : params.add(null, physical[0]!.duckType)})`;
  });
  return `(SELECT * FROM (VALUES ${values.join(', ')}) AS v(${names}))`;
}

export function planSelect(select: Select, env: PlanEnv): SelectPlan {
  const scope: ScopeEntry[] = [];
  const bindEnv: BindEnv = { ...env, scope };
  const rows = new Binder(bindEnv, false);
  const aggregates = new Binder(bindEnv, true);
  const params = new QueryParams();
  const pushdown = new Pushdown(params);

  const addEntry = (ref: TableRef, outer: boolean): ScopeEntry => {
    const { name, alias } = ref;
    const entry: ScopeEntry = {
      relation: ref.changes ? env.resolveChanges(name, ref.changes.lastVersion) : env.resolve(name),
      sqlAlias: `r${scope.length}`,
      alias,
      outer,
      used: new Set(),
    };
    if (
      scope.some(
        (s) => (s.alias ?? s.relation.name).toLowerCase() === (alias ?? entry.relation.name).toLowerCase(),
      )
    ) {
      throw new SqlError(
        1013,
        `The objects "${alias ?? name.text}" in the FROM clause have the same exposed names. Use correlation names to distinguish them.`,
      );
    }
    scope.push(entry);
    return entry;
  };
  const joins: { entry: ScopeEntry; type: 'inner' | 'left'; on: Pred }[] = [];
  if (select.from) {
    addEntry(select.from.table, false);
    for (const join of select.from.joins) {
      const entry = addEntry(join.table, join.type === 'left');
      joins.push({ entry, type: join.type, on: rows.pred(join.on) });
    }
  }

  // Select list, with * expanded in FROM order.
  const items: { bound: Bound; name: string; identity?: boolean; tableName?: string[] }[] = [];
  const assignments: string[] = [];
  for (const item of select.items) {
    if (item.kind === 'star') {
      const entries = item.qualifier ? scope.filter((s) => qualifierMatches(s, item.qualifier!)) : scope;
      if (entries.length === 0) {
        if (!select.from) throw new SqlError(263, 'Must specify table to select from.', { class: 16 });
        throw new SqlError(
          4104,
          `The multi-part identifier "${item.qualifier!.join('.')}" could not be bound.`,
        );
      }
      for (const entry of entries) {
        entry.relation.columns.forEach((c, ordinal) => {
          // HIDDEN period columns are returned only when named
          // (https://learn.microsoft.com/sql/relational-databases/tables/querying-data-in-a-system-versioned-temporal-table).
          if (c.hidden) return;
          if (c.encryption) throw encryptedColumnRead(c.name);
          entry.used.add(ordinal);
          items.push({
            bound: { k: 'column', type: c.type, nullable: c.nullable || entry.outer, entry, ordinal },
            name: c.name,
            identity: c.identity !== undefined,
            tableName: [entry.relation.schema, entry.relation.name],
          });
        });
      }
      continue;
    }
    if (item.kind === 'assign') {
      if (select.from) throw notSupported('SELECT @variable = ... FROM');
      assignments.push(item.variable);
      items.push({ bound: aggregates.value(item.expr), name: item.variable });
      continue;
    }
    const bound = aggregates.value(item.expr);
    const column = bound.k === 'column' ? bound.entry.relation.columns[bound.ordinal] : undefined;
    items.push({
      bound,
      name: item.alias ?? (item.expr.kind === 'column' ? column!.name : ''),
      identity: column?.identity !== undefined && item.alias === undefined,
      tableName: bound.k === 'column' ? [bound.entry.relation.schema, bound.entry.relation.name] : undefined,
    });
  }

  const columns: ResultColumn[] = items.map((i) => ({
    name: i.name,
    type: i.bound.type,
    nullable: isNullable(i.bound),
    identity: i.identity,
    tableName: i.tableName,
  }));

  if (!select.from) {
    if (select.groupBy || select.having || select.orderBy)
      throw notSupported('GROUP BY, HAVING or ORDER BY without FROM');
    // Without FROM there are no columns, so the binder has folded WHERE into a constant.
    const where = select.where ? rows.pred(select.where) : ({ k: 'bool', value: true } as Pred);
    items.forEach((i) => {
      if (hasAggregate(i.bound)) throw notSupported('aggregates without FROM');
    });
    const top = select.top ? constantInt(aggregates.value(select.top), 'TOP', env.ctx) : 1;
    return {
      columns,
      outputs: items.map((i) => compileValue(i.bound, env.ctx)),
      empty: where.k !== 'bool' || where.value !== true || top < 1,
      assignments: assignments.length > 0 ? assignments : undefined,
    };
  }

  // Rows a security policy hides are gone before anything else sees them.
  let where = select.where ? rows.pred(select.where) : undefined;
  for (const entry of scope) {
    if (!entry.relation.table) continue;
    for (const filter of env.ctx.catalog.security.filtersOn(entry.relation.table.objectId)) {
      const condition = rows.pred(filterCondition(entry, filter));
      where = where ? { k: 'and', left: where, right: condition } : condition;
    }
  }
  const distinctKeys = select.distinct ? items.map((i) => i.bound) : [];
  const groupBy = [...(select.groupBy ?? []).map((e) => rows.value(e)), ...distinctKeys];
  const having = select.having ? aggregates.pred(select.having) : undefined;
  const orderBy = (select.orderBy ?? []).map((o) => ({
    bound: orderTarget(o.expr, items, aggregates),
    desc: o.desc,
  }));
  if (select.distinct) {
    for (const o of orderBy) {
      if (!items.some((i) => sameBound(i.bound, o.bound))) {
        throw new SqlError(
          145,
          'ORDER BY items must appear in the select list if SELECT DISTINCT is specified.',
          { class: 15 },
        );
      }
    }
  }
  const grouped =
    groupBy.length > 0 ||
    items.some((i) => hasAggregate(i.bound)) ||
    orderBy.some((o) => hasAggregate(o.bound)) ||
    having !== undefined;

  let groupKeys: string[] = [];
  if (grouped) {
    groupKeys = groupBy.map((g) => pushdown.value(g).key);
    const groupedColumns = groupBy.filter((g) => g.k === 'column');
    const check = (b: Bound, clause: string): void => {
      for (const c of ungroupedColumns(b)) {
        if (!groupedColumns.some((g) => sameBound(g, c))) {
          const rel = c.entry.relation;
          throw new SqlError(
            8120,
            `Column '${rel.schema}.${rel.name}.${rel.columns[c.ordinal]!.name}' is invalid in the ${clause} because it is not contained in either an aggregate function or the GROUP BY clause.`,
          );
        }
      }
    };
    items.forEach((i) => check(i.bound, 'select list'));
    orderBy.forEach((o) => check(o.bound, 'ORDER BY clause'));
  }
  // Grouped: plain column parts that are group keys (non-key types) are read as they are.
  const groupedPushdown = grouped ? new Pushdown(params, new Set(groupKeys)) : pushdown;

  // Slots: the DuckDB select list. Each column or aggregate the outputs need gets its parts there.
  const slotSql: string[] = [];
  const slotIndex = new Map<string, number>();
  const slot = (sql: string): number => {
    let i = slotIndex.get(sql);
    if (i === undefined) {
      i = slotSql.length;
      slotSql.push(sql);
      slotIndex.set(sql, i);
    }
    return i;
  };
  const slots: SlotSource = {
    value: (b: ColumnOrAggregate): RowFn => {
      if (b.k === 'aggregate' && b.fn === 'avg')
        return averageFn(b, groupedPushdown.averageParts(b).map(slot));
      const e = b.k === 'aggregate' ? groupedPushdown.aggregate(b) : groupedPushdown.value(b);
      // A datetimeoffset's two parts must sit side by side for its composer, so they are never shared.
      const start = e.parts.length === 1 ? slot(e.parts[0]!) : slotSql.push(...e.parts) - e.parts.length;
      const compose = composer(b.type);
      return (raw) => compose(raw, start);
    },
  };
  const outputs = items.map((i) =>
    maskedOutput(i.bound, i.bound.type, compileValue(i.bound, env.ctx, slots), env.ctx),
  );

  const whereSql = where ? pushdown.pred(where) : undefined;
  const havingSql = having ? groupedPushdown.pred(having) : undefined;
  const orderSql = orderBy.map(
    (o) => `${groupedPushdown.orderKey(o.bound)} ${o.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`,
  );
  const joinOn = joins.map((j) => pushdown.pred(j.on));

  let limit: number | undefined;
  let offset: number | undefined;
  if (select.top) {
    limit = constantInt(aggregates.value(select.top), 'TOP', env.ctx);
    if (limit < 0) throw new SqlError(1014, 'A TOP or FETCH clause contains an invalid value.');
  }
  if (select.offset) {
    if (select.top)
      throw new SqlError(10741, 'A TOP can not be used in the same query or sub-query as a OFFSET.', {
        class: 15,
      });
    offset = constantInt(aggregates.value(select.offset), 'OFFSET', env.ctx);
    if (offset < 0) throw new SqlError(10742, 'The offset specified in a OFFSET clause may not be negative.');
    if (select.fetch) {
      limit = constantInt(aggregates.value(select.fetch), 'FETCH', env.ctx);
      if (limit < 1)
        throw new SqlError(
          10744,
          'The number of rows provided for a FETCH clause must be greater then zero.',
        );
    }
  }

  // Relations last: only now is every used column of a catalog view known.
  const from = [
    `${relationSql(scope[0]!, params, env)} AS ${scope[0]!.sqlAlias}`,
    ...joins.map(
      (j, i) =>
        `${j.type === 'left' ? 'LEFT' : 'INNER'} JOIN ${relationSql(j.entry, params, env)} AS ${j.entry.sqlAlias} ON ${joinOn[i]}`,
    ),
  ].join(' ');
  if (slotSql.length === 0) slotSql.push('1');
  let sql = `SELECT ${slotSql.join(', ')} FROM ${from}`;
  if (whereSql) sql += ` WHERE ${whereSql}`;
  if (grouped && groupKeys.length > 0) sql += ` GROUP BY ${groupKeys.join(', ')}`;
  if (havingSql) sql += ` HAVING ${havingSql}`;
  if (orderSql.length > 0) sql += ` ORDER BY ${orderSql.join(', ')}`;
  if (limit !== undefined) sql += ` LIMIT ${limit}`;
  if (offset !== undefined) sql += ` OFFSET ${offset}`;
  const order = orderBy
    .map((o) => items.findIndex((i) => sameBound(i.bound, o.bound)) + 1)
    .filter((position) => position > 0);
  return {
    columns,
    query: { sql, params },
    outputs,
    empty: false,
    order: order.length > 0 ? order : undefined,
  };
}

function qualifierMatches(entry: ScopeEntry, qualifier: string[]): boolean {
  if (entry.alias !== undefined)
    return qualifier.length === 1 && entry.alias.toLowerCase() === qualifier[0]!.toLowerCase();
  return qualifier[qualifier.length - 1]!.toLowerCase() === entry.relation.name.toLowerCase();
}

function sameBound(a: Bound, b: Bound): boolean {
  if (a.k === 'column' && b.k === 'column') return a.entry === b.entry && a.ordinal === b.ordinal;
  return a === b;
}

/** ORDER BY 2, ORDER BY alias, or any expression over the FROM tables. */
function orderTarget(e: Expr, items: { bound: Bound; name: string }[], binder: Binder): Bound {
  if (e.kind === 'literal' && e.value.type.name === 'int') {
    const item = items[Number(e.value.value) - 1];
    if (!item) {
      throw new SqlError(
        108,
        `The ORDER BY position number ${String(e.value.value)} is out of range of the number of items in the select list.`,
        { class: 15 },
      );
    }
    return item.bound;
  }
  if (e.kind === 'column' && e.parts.length === 1) {
    const item = items.find((i) => i.name !== '' && i.name.toLowerCase() === e.parts[0]!.toLowerCase());
    if (item) return item.bound;
  }
  return binder.value(e);
}

/** AVG from its sum and count, with SQL Server's result: integers truncate, decimals get scale 6 or more. */
function averageFn(b: Extract<Bound, { k: 'aggregate' }>, at: number[]): RowFn {
  const [sumAt, countAt] = at as [number, number];
  const argType = b.arg!.type;
  const type: SqlType = b.type;
  return (raw) => {
    const sum = raw[sumAt];
    const count = Number(raw[countAt]);
    if (sum === null || sum === undefined || count === 0) return null;
    if (type.name === 'float') return (sum as number) / count;
    if (isIntegerType(type)) {
      const q = BigInt(sum as bigint) / BigInt(count);
      return type.name === 'bigint' ? q : Number(q);
    }
    const fromScale = isScaledNumeric(argType) ? scaleOf(argType) : 0;
    const scaled = rescale(BigInt(sum as bigint), fromScale, scaleOf(type));
    return scaled / BigInt(count);
  };
}

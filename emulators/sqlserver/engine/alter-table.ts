/**
 * ALTER TABLE ... ADD constraint and ALTER TABLE ... CHECK | NOCHECK CONSTRAINT
 * (https://learn.microsoft.com/sql/t-sql/statements/alter-table-transact-sql,
 * https://learn.microsoft.com/sql/t-sql/statements/alter-table-table-constraint-transact-sql), with SQL
 * Server's errors. Each returns how to undo its catalog change, for ROLLBACK.
 */
import { SqlError } from '../errors';
import { isLargeObjectType } from '../types/sql-type';
import type { SqlValue } from '../types/values';
import type { StatementBody, TableConstraint } from '../tsql/ast';
import { sameName, type TableInfo } from './catalog';
import { checkConflict, enforceChecks, validateCheck } from './checks';
import { hexSuffix, validateDefault, type DdlContext, type Undo } from './ddl';
import { keySql, physicalTableName } from './storage';

/** The constraint state of a table, to restore on ROLLBACK. */
function snapshot(table: TableInfo): Undo {
  const before = {
    primaryKey: table.primaryKey,
    uniques: [...table.uniques],
    foreignKeys: table.foreignKeys.map((fk) => ({ ...fk })),
    checks: table.checks?.map((c) => ({ ...c })),
    defaults: table.columns.map((c) => c.default),
  };
  return () => {
    table.primaryKey = before.primaryKey;
    table.uniques = before.uniques;
    table.foreignKeys = before.foreignKeys;
    table.checks = before.checks;
    table.columns.forEach((c, i) => (c.default = before.defaults[i]));
  };
}

function alterTarget(ctx: DdlContext, s: { table: { text: string; parts: string[] } }): TableInfo {
  const q = ctx.db.qualify(s.table, ctx.database);
  const table = ctx.db.catalog.table(q.database, q.schema, q.name);
  if (!table) {
    throw new SqlError(
      4902,
      `Cannot find the object "${s.table.text}" because it does not exist or you do not have permissions.`,
    );
  }
  return table;
}

export async function alterTableAdd(
  s: Extract<StatementBody, { kind: 'alterTableAdd' }>,
  ctx: DdlContext,
  existingRows: (table: TableInfo) => Promise<SqlValue[][]>,
): Promise<Undo> {
  const table = alterTarget(ctx, s);
  const undo = snapshot(table);
  const { catalog } = ctx.db;
  const claim = (name: string): string => {
    if (catalog.constraintExists(table.database, table.schema, name))
      throw new SqlError(2714, `There is already an object named '${name}' in the database.`);
    return name;
  };
  const column = (name: string) => {
    const found = table.columns.find((c) => sameName(c.name, name));
    if (!found) throw new SqlError(1911, `Column name '${name}' does not exist in the target table or view.`);
    return found;
  };
  // DuckDB indexes made for new keys: dropped again when a later constraint of the statement fails.
  const indexes: string[] = [];
  try {
    // A fresh object id per constraint: generated names and index names never repeat.
    for (const c of s.constraints) await addConstraint(c, catalog.newObjectId());
  } catch (e) {
    undo();
    for (const index of indexes) await ctx.connection.run(`DROP INDEX IF EXISTS ${index}`);
    throw e;
  }
  catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return undo;

  async function addConstraint(c: TableConstraint, salt: number): Promise<void> {
    switch (c.kind) {
      case 'check': {
        const check = {
          name: claim(c.check.name ?? `CK__${table.name.slice(0, 9)}__${hexSuffix(table.objectId, salt, 8)}`),
          source: c.check.text,
          ...(!s.check && { notTrusted: true }),
        };
        validateCheck(table, check, ctx.env);
        (table.checks ??= []).push(check);
        if (!s.check) return;
        try {
          enforceChecks(table, await existingRows(table), ctx.env, 'ALTER TABLE');
        } catch (e) {
          if (e instanceof SqlError && e.number === 547) throw checkConflict(table, check, 'ALTER TABLE');
          throw e;
        }
        return;
      }
      case 'default': {
        const target = column(c.columns[0]!);
        if (target.identity) {
          throw new SqlError(
            1754,
            `Defaults cannot be created on columns with an IDENTITY attribute. Table '${table.name}', column '${target.name}'.`,
          );
        }
        if (target.default)
          throw new SqlError(1781, `Column already has a DEFAULT bound to it.`, { class: 16 });
        validateDefault(c.default.text, ctx.env);
        target.default = {
          source: c.default.text,
          name: claim(
            c.name ??
              `DF__${table.name.slice(0, 9)}__${target.name.slice(0, 5)}__${hexSuffix(table.objectId, salt, 8)}`,
          ),
        };
        return;
      }
      case 'foreignKey': {
        const columns = c.columns.map((name) => column(name).name);
        const target = ctx.db.qualify(c.references!.table, ctx.database);
        const refTable = catalog.table(target.database, target.schema, target.name);
        const name =
          c.name ??
          `FK__${table.name.slice(0, 9)}__${target.name.slice(0, 9)}__${hexSuffix(table.objectId, salt, 8)}`;
        if (!refTable) {
          throw new SqlError(
            1767,
            `Foreign key '${name}' references invalid table '${c.references!.table.text}'.`,
          );
        }
        table.foreignKeys.push({
          name: claim(name),
          columns,
          refSchema: refTable.schema,
          refTable: refTable.name,
          refColumns:
            c.references!.columns.length > 0 ? c.references!.columns : (refTable.primaryKey?.columns ?? []),
        });
        return;
      }
      case 'primaryKey':
      case 'unique': {
        const primary = c.kind === 'primaryKey';
        if (primary && table.primaryKey) {
          throw new SqlError(1779, `Table '${table.name}' already has a primary key defined on it.`);
        }
        const columns = c.columns.map((name) => column(name));
        for (const col of columns) {
          if (isLargeObjectType(col.type) || col.type.length === -1) {
            throw new SqlError(
              1919,
              `Column '${col.name}' in table '${table.name}' is of a type that is invalid for use as a key column in an index.`,
            );
          }
          if (primary && col.nullable) {
            throw new SqlError(
              8111,
              `Cannot define PRIMARY KEY constraint on nullable column in table '${table.name}'.`,
            );
          }
        }
        const clustered = primary ? !c.nonclustered : false;
        if (clustered && (table.indexes ?? []).some((ix) => ix.clustered)) {
          throw new SqlError(
            1902,
            `Cannot create more than one clustered index on table '${table.schema}.${table.name}'. Drop the existing clustered index '${table.indexes!.find((ix) => ix.clustered)!.name}' before creating another.`,
          );
        }
        const key = {
          name: claim(
            c.name ??
              `${primary ? 'PK' : 'UQ'}__${table.name.slice(0, 8)}__${hexSuffix(table.objectId, salt, 16)}`,
          ),
          columns: columns.map((col) => col.name),
          ...(primary && c.nonclustered && { nonclustered: true }),
        };
        // Existing rows are checked by DuckDB's unique index on the collation keys, as CREATE INDEX does.
        const keys = columns
          .map((col) => keySql(col.type, '', table.columns.indexOf(col)).replace(/^\./, ''))
          .join(', ');
        try {
          await ctx.connection.run(
            `CREATE UNIQUE INDEX kc${salt} ON ${physicalTableName(table.objectId)} (${keys})`,
          );
          indexes.push(`kc${salt}`);
        } catch (e) {
          if (!/constraint|duplicate/i.test((e as Error).message)) throw e;
          throw new SqlError(
            1505,
            `The CREATE UNIQUE INDEX statement terminated because a duplicate key was found for the object name '${table.schema}.${table.name}' and the index name '${key.name}'.`,
          );
        }
        if (primary) table.primaryKey = key;
        else table.uniques.push(key);
        return;
      }
    }
  }
}

/**
 * ALTER TABLE t NOCHECK | CHECK CONSTRAINT ALL | name, ...: disables or enables CHECK and FOREIGN KEY
 * constraints; one enabled again this way is not trusted (its existing rows were not checked).
 */
export async function alterTableCheck(
  s: Extract<StatementBody, { kind: 'alterTableCheck' }>,
  ctx: DdlContext,
): Promise<Undo> {
  const table = alterTarget(ctx, s);
  const undo = snapshot(table);
  const constraints = [...(table.checks ?? []), ...table.foreignKeys];
  const chosen =
    s.names === 'all'
      ? constraints
      : s.names.map((name) => {
          const found = constraints.find((c) => sameName(c.name, name));
          if (!found) throw new SqlError(4917, `Constraint '${name}' does not exist.`);
          return found;
        });
  for (const c of chosen) {
    if (!s.enable) c.disabled = true;
    else if (c.disabled) {
      c.disabled = false;
      if ('source' in c) c.notTrusted = true;
    }
  }
  ctx.db.catalog.version++;
  await ctx.db.saveCatalog(ctx.connection);
  return undo;
}

/**
 * The Snowflake catalog, kept in DuckDB tables under `sf_meta` so that it follows the session's
 * transactions and persists with the data file. Names are stored exactly as Snowflake resolves them
 * (already folded), so lookups compare exactly.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { unsupported } from '../errors';
import { quoteName } from '../sql/identifiers';
import {
  MAX_BINARY_LENGTH,
  MAX_TEXT_LENGTH,
  storageType,
  typeFromJson,
  typeToJson,
  type SnowflakeType,
} from '../types';
import { rows } from './duck';

export interface ColumnDef {
  name: string;
  type: SnowflakeType;
  nullable: boolean;
  /** The DEFAULT expression as Snowflake SQL text. */
  defaultSql: string | null;
  comment: string | null;
}

export interface TableInfo {
  id: number;
  database: string;
  schema: string;
  name: string;
  /** TABLE, TRANSIENT or TEMPORARY. */
  kind: string;
  sessionId: number | null;
  createdOn: number;
  primaryKey: string[];
  /**
   * Column lists of the UNIQUE constraints: kept, never enforced, as on a standard Snowflake table
   * (https://docs.snowflake.com/en/sql-reference/constraints).
   */
  uniqueKeys: string[][];
  comment: string | null;
  columns: ColumnDef[];
}

/**
 * A FOREIGN KEY constraint: kept for SHOW IMPORTED KEYS, never enforced, as on a standard Snowflake
 * table (https://docs.snowflake.com/en/sql-reference/constraints-overview).
 */
export interface ForeignKeyInfo {
  tableId: number;
  name: string;
  columns: string[];
  refTableId: number;
  refColumns: string[];
  createdOn: number;
}

/** A sequence (https://docs.snowflake.com/en/sql-reference/sql/create-sequence): 64-bit values. */
export interface SequenceInfo {
  database: string;
  schema: string;
  name: string;
  start: bigint;
  /** The value the next NEXTVAL gives. */
  next: bigint;
  increment: bigint;
  createdOn: number;
  comment: string | null;
}

export interface StageInfo {
  id: number;
  database: string;
  schema: string;
  name: string;
  sessionId: number | null;
  createdOn: number;
  comment: string | null;
  /** FILE_FORMAT = ...: the options as JSON (FileFormatOptions), null for the default CSV. */
  fileFormat: string | null;
}

export interface NamedObject {
  name: string;
  createdOn: number;
  comment: string | null;
}

/** The DuckDB table holding a Snowflake table's rows. */
export const physicalName = (id: number) => `sf_data.t_${id}`;

/**
 * Snowflake keeps `"email"` and `"EMAIL"` apart, but DuckDB column names ignore case, so one table cannot
 * hold both here: refused plainly rather than failing inside DuckDB. (Exact duplicates are Snowflake's
 * own error, reported before this.)
 */
function refuseCaseTwins(names: string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const other = seen.get(name.toLowerCase());
    if (other !== undefined && other !== name)
      throw unsupported(`columns whose names differ only in case ("${other}", "${name}")`);
    seen.set(name.toLowerCase(), name);
  }
}

const num = (v: unknown) => Number(v);
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export class Catalog {
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly sessionId: number,
  ) {}

  private rows(sql: string, params: (string | number | null)[] = []) {
    return rows(this.connection, sql, params);
  }

  private async run(sql: string, params: (string | number | boolean | null)[] = []): Promise<void> {
    await this.connection.run(sql, params);
  }

  async nextId(): Promise<number> {
    const [row] = await this.rows("SELECT nextval('sf_meta.ids') AS id");
    return num(row!.id);
  }

  async databases(): Promise<NamedObject[]> {
    const result = await this.rows('SELECT * FROM sf_meta.databases ORDER BY name');
    return result.map((r) => ({
      name: String(r.name),
      createdOn: num(r.created_on),
      comment: str(r.comment),
    }));
  }

  async hasDatabase(name: string): Promise<boolean> {
    return (await this.rows('SELECT 1 FROM sf_meta.databases WHERE name = ?', [name])).length > 0;
  }

  async createDatabase(name: string, comment: string | null): Promise<void> {
    await this.run('INSERT INTO sf_meta.databases VALUES (?, ?, ?)', [name, Date.now(), comment]);
    await this.createSchema(name, 'PUBLIC', null);
  }

  async dropDatabase(name: string): Promise<void> {
    for (const schema of await this.schemas(name)) await this.dropSchema(name, schema.name);
    await this.run('DELETE FROM sf_meta.databases WHERE name = ?', [name]);
  }

  async schemas(database: string | undefined): Promise<(NamedObject & { database: string })[]> {
    const result = await this.rows(
      'SELECT * FROM sf_meta.schemas WHERE (? IS NULL OR database = ?) ORDER BY database, name',
      [database ?? null, database ?? null],
    );
    return result.map((r) => ({
      database: String(r.database),
      name: String(r.name),
      createdOn: num(r.created_on),
      comment: str(r.comment),
    }));
  }

  async hasSchema(database: string, name: string): Promise<boolean> {
    return (
      (await this.rows('SELECT 1 FROM sf_meta.schemas WHERE database = ? AND name = ?', [database, name]))
        .length > 0
    );
  }

  async createSchema(database: string, name: string, comment: string | null): Promise<void> {
    await this.run('INSERT INTO sf_meta.schemas VALUES (?, ?, ?, ?)', [database, name, Date.now(), comment]);
  }

  async dropSchema(database: string, name: string): Promise<void> {
    for (const table of await this.tables({ database, schema: name })) await this.dropTable(table);
    await this.run('DELETE FROM sf_meta.sequences WHERE database = ? AND schema = ?', [database, name]);
    await this.run('DELETE FROM sf_meta.stages WHERE database = ? AND schema = ?', [database, name]);
    await this.run('DELETE FROM sf_meta.file_formats WHERE database = ? AND schema = ?', [database, name]);
    await this.run('DELETE FROM sf_meta.schemas WHERE database = ? AND name = ?', [database, name]);
  }

  /** The session's temporary object wins over a permanent one of the same name, as in Snowflake. */
  private async findRow(
    table: 'tables' | 'stages',
    database: string,
    schema: string,
    name: string,
  ): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.rows(
      `SELECT * FROM sf_meta.${table} WHERE database = ? AND schema = ? AND name = ?
         AND (session_id IS NULL OR session_id = ?) ORDER BY session_id NULLS LAST LIMIT 1`,
      [database, schema, name, this.sessionId],
    );
    return row;
  }

  private listRows(table: 'tables' | 'stages', filter: { database?: string; schema?: string }) {
    return this.rows(
      `SELECT * FROM sf_meta.${table} WHERE (? IS NULL OR database = ?) AND (? IS NULL OR schema = ?)
         AND (session_id IS NULL OR session_id = ?) ORDER BY database, schema, name`,
      [
        filter.database ?? null,
        filter.database ?? null,
        filter.schema ?? null,
        filter.schema ?? null,
        this.sessionId,
      ],
    );
  }

  async findTable(database: string, schema: string, name: string): Promise<TableInfo | undefined> {
    const row = await this.findRow('tables', database, schema, name);
    return row ? this.tableFromRow(row) : undefined;
  }

  async tables(filter: { database?: string; schema?: string }): Promise<TableInfo[]> {
    return Promise.all((await this.listRows('tables', filter)).map((r) => this.tableFromRow(r)));
  }

  async tableById(id: number): Promise<TableInfo | undefined> {
    const [row] = await this.rows('SELECT * FROM sf_meta.tables WHERE id = ?', [id]);
    return row ? this.tableFromRow(row) : undefined;
  }

  async addForeignKey(fk: Omit<ForeignKeyInfo, 'createdOn'>): Promise<void> {
    await this.run('INSERT INTO sf_meta.foreign_keys VALUES (?, ?, ?, ?, ?, ?)', [
      fk.tableId,
      fk.name,
      JSON.stringify(fk.columns),
      fk.refTableId,
      JSON.stringify(fk.refColumns),
      Date.now(),
    ]);
  }

  /** The foreign keys declared on the given tables, in declaration order. */
  async foreignKeys(tableIds: number[]): Promise<ForeignKeyInfo[]> {
    if (!tableIds.length) return [];
    const rows = await this.rows(
      `SELECT * FROM sf_meta.foreign_keys WHERE table_id IN (${tableIds.map(() => '?').join(', ')})
         ORDER BY created_on, name`,
      tableIds,
    );
    return rows.map((r) => ({
      tableId: num(r.table_id),
      name: String(r.name),
      columns: JSON.parse(String(r.columns)) as string[],
      refTableId: num(r.ref_table_id),
      refColumns: JSON.parse(String(r.ref_columns)) as string[],
      createdOn: num(r.created_on),
    }));
  }

  private async tableFromRow(r: Record<string, unknown>): Promise<TableInfo> {
    const id = num(r.id);
    const columns = await this.rows('SELECT * FROM sf_meta.columns WHERE table_id = ? ORDER BY ordinal', [
      id,
    ]);
    return {
      id,
      database: String(r.database),
      schema: String(r.schema),
      name: String(r.name),
      kind: String(r.kind),
      sessionId: r.session_id === null ? null : num(r.session_id),
      createdOn: num(r.created_on),
      primaryKey: JSON.parse(String(r.primary_key)) as string[],
      uniqueKeys: r.unique_keys === null ? [] : (JSON.parse(String(r.unique_keys)) as string[][]),
      comment: str(r.comment),
      columns: columns.map((c) => ({
        name: String(c.name),
        type: typeFromJson(String(c.type)),
        nullable: Boolean(c.nullable),
        defaultSql: str(c.default_sql),
        comment: str(c.comment),
      })),
    };
  }

  async createTable(
    spec: Omit<TableInfo, 'id' | 'createdOn' | 'sessionId'> & { temporary: boolean },
  ): Promise<TableInfo> {
    const id = await this.nextId();
    const sessionId = spec.temporary ? this.sessionId : null;
    const createdOn = Date.now();
    refuseCaseTwins(spec.columns.map((c) => c.name));
    await this.run(`CREATE TABLE ${physicalName(id)} (${spec.columns.map(columnDdl).join(', ')})`);
    await this.run('INSERT INTO sf_meta.tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id,
      spec.database,
      spec.schema,
      spec.name,
      spec.kind,
      sessionId,
      createdOn,
      JSON.stringify(spec.primaryKey),
      spec.comment,
      JSON.stringify(spec.uniqueKeys),
    ]);
    await this.writeColumns(id, spec.columns);
    return { ...spec, id, sessionId, createdOn };
  }

  private async writeColumns(tableId: number, columns: ColumnDef[]): Promise<void> {
    await this.run('DELETE FROM sf_meta.columns WHERE table_id = ?', [tableId]);
    for (const [index, c] of columns.entries()) {
      await this.run('INSERT INTO sf_meta.columns VALUES (?, ?, ?, ?, ?, ?, ?)', [
        tableId,
        index + 1,
        c.name,
        typeToJson(c.type),
        c.nullable,
        c.defaultSql,
        c.comment,
      ]);
    }
  }

  async dropTable(table: TableInfo): Promise<void> {
    await this.run(`DROP TABLE ${physicalName(table.id)}`);
    // DROP TABLE's default is CASCADE: the foreign keys that reference the table go with it
    // (https://docs.snowflake.com/en/sql-reference/sql/drop-table).
    await this.run('DELETE FROM sf_meta.foreign_keys WHERE table_id = ? OR ref_table_id = ?', [
      table.id,
      table.id,
    ]);
    await this.run('DELETE FROM sf_meta.columns WHERE table_id = ?', [table.id]);
    await this.run('DELETE FROM sf_meta.tables WHERE id = ?', [table.id]);
    await this.clearLoads(table.id);
  }

  async renameTable(table: TableInfo, database: string, schema: string, name: string): Promise<void> {
    await this.run('UPDATE sf_meta.tables SET database = ?, schema = ?, name = ? WHERE id = ?', [
      database,
      schema,
      name,
      table.id,
    ]);
  }

  /** SWAP WITH exchanges the names; each table keeps its rows, columns and load history. */
  async swapTables(a: TableInfo, b: TableInfo): Promise<void> {
    await this.renameTable(a, b.database, b.schema, b.name);
    await this.renameTable(b, a.database, a.schema, a.name);
  }

  async addColumn(table: TableInfo, column: ColumnDef): Promise<void> {
    refuseCaseTwins([...table.columns.map((c) => c.name), column.name]);
    await this.run(
      `ALTER TABLE ${physicalName(table.id)} ADD COLUMN ${columnDdl({ ...column, nullable: true })}`,
    );
    await this.writeColumns(table.id, [...table.columns, column]);
  }

  async dropColumn(table: TableInfo, name: string): Promise<void> {
    await this.run(`ALTER TABLE ${physicalName(table.id)} DROP COLUMN ${quoteName(name)}`);
    await this.writeColumns(
      table.id,
      table.columns.filter((c) => c.name !== name),
    );
    const key = table.primaryKey.filter((k) => k !== name);
    await this.writeKeys(
      table.id,
      key,
      table.uniqueKeys.map((u) => u.filter((k) => k !== name)),
    );
  }

  async renameColumn(table: TableInfo, from: string, to: string): Promise<void> {
    refuseCaseTwins(table.columns.map((c) => (c.name === from ? to : c.name)));
    await this.run(
      `ALTER TABLE ${physicalName(table.id)} RENAME COLUMN ${quoteName(from)} TO ${quoteName(to)}`,
    );
    await this.writeColumns(
      table.id,
      table.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
    );
    const rename = (k: string) => (k === from ? to : k);
    await this.writeKeys(
      table.id,
      table.primaryKey.map(rename),
      table.uniqueKeys.map((u) => u.map(rename)),
    );
  }

  /** A unique key left without columns (all of them dropped) goes away, like the primary key's. */
  private async writeKeys(tableId: number, primaryKey: string[], uniqueKeys: string[][]): Promise<void> {
    await this.run('UPDATE sf_meta.tables SET primary_key = ?, unique_keys = ? WHERE id = ?', [
      JSON.stringify(primaryKey),
      JSON.stringify(uniqueKeys.filter((u) => u.length > 0)),
      tableId,
    ]);
  }

  async rowCount(table: TableInfo): Promise<number> {
    const [row] = await this.rows(`SELECT count(*) AS n FROM ${physicalName(table.id)}`);
    return num(row!.n);
  }

  async findStage(database: string, schema: string, name: string): Promise<StageInfo | undefined> {
    const row = await this.findRow('stages', database, schema, name);
    return row ? stageFromRow(row) : undefined;
  }

  async stages(filter: { database?: string; schema?: string }): Promise<StageInfo[]> {
    return (await this.listRows('stages', filter)).map(stageFromRow);
  }

  async createStage(
    database: string,
    schema: string,
    name: string,
    temporary: boolean,
    comment: string | null,
    fileFormat: string | null,
  ): Promise<StageInfo> {
    const id = await this.nextId();
    const stage = {
      id,
      database,
      schema,
      name,
      sessionId: temporary ? this.sessionId : null,
      createdOn: Date.now(),
      comment,
      fileFormat,
    };
    await this.run(
      `INSERT INTO sf_meta.stages (id, database, schema, name, session_id, created_on, comment, file_format)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, database, schema, name, stage.sessionId, stage.createdOn, comment, fileFormat],
    );
    return stage;
  }

  /** A named file format's options (JSON), undefined when there is none of that name. */
  async findFileFormat(database: string, schema: string, name: string): Promise<string | undefined> {
    const [row] = await this.rows(
      'SELECT options FROM sf_meta.file_formats WHERE database = ? AND schema = ? AND name = ?',
      [database, schema, name],
    );
    return row ? String(row.options) : undefined;
  }

  async createFileFormat(database: string, schema: string, name: string, options: string): Promise<void> {
    await this.run('INSERT INTO sf_meta.file_formats VALUES (?, ?, ?, ?, ?)', [
      database,
      schema,
      name,
      options,
      Date.now(),
    ]);
  }

  async dropFileFormat(database: string, schema: string, name: string): Promise<void> {
    await this.run('DELETE FROM sf_meta.file_formats WHERE database = ? AND schema = ? AND name = ?', [
      database,
      schema,
      name,
    ]);
  }

  async sequences(database: string, schema?: string): Promise<SequenceInfo[]> {
    const result = await this.rows(
      'SELECT * FROM sf_meta.sequences WHERE database = ? AND (? IS NULL OR schema = ?) ORDER BY schema, name',
      [database, schema ?? null, schema ?? null],
    );
    return result.map((r) => ({
      database: String(r.database),
      schema: String(r.schema),
      name: String(r.name),
      start: BigInt(String(r.start_value)),
      next: BigInt(String(r.next_value)),
      increment: BigInt(String(r.increment)),
      createdOn: num(r.created_on),
      comment: str(r.comment),
    }));
  }

  async findSequence(database: string, schema: string, name: string): Promise<SequenceInfo | undefined> {
    return (await this.sequences(database, schema)).find((q) => q.name === name);
  }

  async createSequence(q: Omit<SequenceInfo, 'next' | 'createdOn'>): Promise<void> {
    await this.run('INSERT INTO sf_meta.sequences VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      q.database,
      q.schema,
      q.name,
      q.start.toString(),
      q.start.toString(),
      q.increment.toString(),
      Date.now(),
      q.comment,
    ]);
  }

  async dropSequence(q: Pick<SequenceInfo, 'database' | 'schema' | 'name'>): Promise<void> {
    await this.run('DELETE FROM sf_meta.sequences WHERE database = ? AND schema = ? AND name = ?', [
      q.database,
      q.schema,
      q.name,
    ]);
  }

  /** Takes the sequence's next `count` values, in order. */
  async takeSequenceValues(q: SequenceInfo, count: number): Promise<bigint[]> {
    const values = Array.from({ length: count }, (_, k) => q.next + BigInt(k) * q.increment);
    await this.run(
      'UPDATE sf_meta.sequences SET next_value = ? WHERE database = ? AND schema = ? AND name = ?',
      [(q.next + BigInt(count) * q.increment).toString(), q.database, q.schema, q.name],
    );
    return values;
  }

  async setColumnDefault(table: TableInfo, column: string, defaultSql: string): Promise<void> {
    await this.writeColumns(
      table.id,
      table.columns.map((c) => (c.name === column ? { ...c, defaultSql } : c)),
    );
  }

  async dropStage(stage: StageInfo): Promise<void> {
    await this.run('DELETE FROM sf_meta.stages WHERE id = ?', [stage.id]);
  }

  /** Temporary tables and stages end with their session. */
  async dropTemporaryObjects(): Promise<StageInfo[]> {
    const temporaryTables = await this.rows('SELECT * FROM sf_meta.tables WHERE session_id = ?', [
      this.sessionId,
    ]);
    for (const row of temporaryTables) await this.dropTable(await this.tableFromRow(row));
    const stages = (
      await this.rows('SELECT * FROM sf_meta.stages WHERE session_id = ?', [this.sessionId])
    ).map(stageFromRow);
    await this.run('DELETE FROM sf_meta.stages WHERE session_id = ?', [this.sessionId]);
    return stages;
  }

  /** Files loaded into a table: file path in the stage -> checksum of the content loaded. */
  async loadedFiles(tableId: number): Promise<Map<string, string>> {
    const result = await this.rows('SELECT file, checksum FROM sf_meta.load_history WHERE table_id = ?', [
      tableId,
    ]);
    return new Map(result.map((r) => [String(r.file), String(r.checksum)]));
  }

  async recordLoad(tableId: number, file: string, checksum: string, rowsLoaded: number): Promise<void> {
    await this.run('INSERT INTO sf_meta.load_history VALUES (?, ?, ?, ?, ?)', [
      tableId,
      file,
      checksum,
      rowsLoaded,
      Date.now(),
    ]);
  }

  async clearLoads(tableId: number): Promise<void> {
    await this.run('DELETE FROM sf_meta.load_history WHERE table_id = ?', [tableId]);
  }
}

function stageFromRow(r: Record<string, unknown>): StageInfo {
  return {
    id: num(r.id),
    database: String(r.database),
    schema: String(r.schema),
    name: String(r.name),
    sessionId: r.session_id === null ? null : num(r.session_id),
    createdOn: num(r.created_on),
    comment: str(r.comment),
    fileFormat: str(r.file_format),
  };
}

/**
 * A column of the DuckDB table. NOT NULL and lengths are checked by the stand-in before rows are
 * written; the constraints here catch what DuckDB computes itself (INSERT ... SELECT, UPDATE).
 */
function columnDdl(c: ColumnDef): string {
  const name = quoteName(c.name);
  const checks: string[] = [];
  if (c.type.kind === 'TEXT') {
    checks.push(
      c.type.length < MAX_TEXT_LENGTH
        ? `length(${name}) <= ${c.type.length}`
        : `strlen(${name}) <= ${MAX_TEXT_LENGTH}`,
    );
  }
  if (c.type.kind === 'BINARY' && c.type.length < MAX_BINARY_LENGTH)
    checks.push(`octet_length(${name}) <= ${c.type.length}`);
  return [
    name,
    storageType(c.type),
    c.nullable ? '' : 'NOT NULL',
    ...checks.map((check) => `CHECK (${check})`),
  ]
    .filter(Boolean)
    .join(' ');
}

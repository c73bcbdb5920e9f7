/**
 * One client connection's state (database, variables, transaction, IDENTITY_INSERT) and the execution of
 * its batches, statement by statement. Results go to a StatementOutput, which the TDS layer turns into
 * tokens; SELECT rows are streamed chunk by chunk, paced by the client.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError, notSupported } from '../errors';
import { convert } from '../types/convert';
import { INT, isStringType, nvarchar, type SqlType } from '../types/sql-type';
import type { SqlValue, Typed } from '../types/values';
import {
  ISOLATION_LEVELS,
  type Expr,
  type IsolationLevel,
  type ObjectName,
  type Select,
  type Statement,
  type StatementBody,
} from '../tsql/ast';
import { isSystemProcedure } from '../tsql/builtins';
import { parseBatch, parseDataType, parseObjectName } from '../tsql/parser';
import type { ResultColumn } from '../tds/tokens';
import { CURRENT_COMMAND } from '../tds/tokens';
import { Binder, type BindEnv } from './binder';
import type { Relation } from './bound';
import type { TableInfo } from './catalog';
import { ChangeTracking, changesColumns, type ChangeLog } from './change-tracking';
import type { Database } from './database';
import { alterTableAdd, alterTableCheck } from './alter-table';
import {
  createAliasType,
  createDatabase,
  createIndex,
  createSchema,
  createTable,
  dropDatabase,
  dropIndex,
  dropSchema,
  dropTables,
  setDatabaseChangeTracking,
  setRecoveryModel,
  setSnapshotIsolation,
  setTableChangeTracking,
  type Undo,
} from './ddl';
import { loadBulk, prepareBulk, type PendingBulk } from './bulk-insert';
import { dataFileRows, readDataFile } from './data-file';
import { addExtendedProperty } from './extended-properties';
import { bulkLoad, deleteRows, insertRows, updateRows, type InsertSource } from './dml';
import { translateDuckError } from './duck-errors';
import { evaluateConstantPred } from './evaluate';
import { SessionOptions, checkIsolation } from './session-options';
import { TempTables } from './temp-tables';
import type { EvalContext } from './functions';
import { planSelect, type SelectPlan } from './select';
import { Returned, parseCreateProcedure, type Procedure } from './procedures';
import type { Principal } from './security';
import { functionHeader, parseScalarFunction } from './scalar-functions';
import {
  alterXmlSchemaCollection,
  createXmlSchemaCollection,
  dropXmlSchemaCollection,
} from './xml-schema-collections';
import { parseCreateFunction, runSecurityStatement } from './security-statements';
import { vectorReader } from './storage';
import { formatRaiserror } from './raiserror';

/** Where a batch's results go. */
/**
 * Errors that end only their statement, the batch going on: "Some run-time errors, such as constraint
 * violations, stop only the current statement. All the remaining statements in the batch are executed"
 * (Batches, https://learn.microsoft.com/en-us/previous-versions/sql/sql-server-2008-r2/ms175502(v=sql.105)),
 * unless SET XACT_ABORT ON, under which any run-time error ends the batch and rolls its transaction back
 * (https://learn.microsoft.com/en-us/sql/t-sql/statements/set-xact-abort-transact-sql). The constraint
 * violations: 547 (CHECK, FOREIGN KEY) and 2627 (PRIMARY KEY, UNIQUE). Other errors end the batch, the
 * documentation naming no others.
 */
const STATEMENT_ONLY_ERRORS = new Set([547, 2627]);

export interface StatementOutput {
  /** A result set begins; returns the writer of its rows. */
  columns(columns: ResultColumn[], order?: number[]): (row: SqlValue[]) => void;
  /** A statement finished, with its row count when it has one. */
  done(command: number, rowCount?: number): void;
  /** An informational message (PRINT, RAISERROR up to severity 10); class 0 and state 1 unless given. */
  info(number: number, message: string, details?: { class: number; state: number }): void;
  /** An error that does not end the batch (RAISERROR): its ERROR token, then the statement's DONE. */
  error(error: SqlError, procName: string): void;
  databaseChanged(newName: string, oldName: string): void;
  transactionChanged(kind: 'begin' | 'commit' | 'rollback', descriptor: Buffer): void;
  /**
   * After each row: sends what fills packets, throws Cancelled on ATTENTION, and returns a promise to wait
   * on while the client is not reading (undefined when there is no need to wait).
   */
  pace(): Promise<void> | undefined;
  /** WAITFOR DELAY: resolves after `ms`, throws Cancelled when ATTENTION arrives during the wait. */
  sleep(ms: number): Promise<void>;
  /** EXEC in a batch: the statements inside report DONEINPROC until the procedure's RETURNSTATUS/DONEPROC. */
  procedureStarted(): void;
  procedureEnded(status: number): void;
}

/** A procedure call's argument: by name (`@p`) or by position, with the value as the caller sent it. */
export interface ProcedureArgument {
  name?: string;
  value: Typed;
  output: boolean;
}

/** The maximum nesting of procedure calls (SQL Server's error 217). */
const MAX_NESTING = 32;

/** Errors whose line was set inside a procedure body, kept when the EXEC statement rethrows them. */
const located = new WeakSet<SqlError>();

/** Thrown out of pace() when the client sent ATTENTION. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled by the client');
  }
}

export interface SessionInfo {
  spid: number;
  /** The login name. */
  user: string;
  /** The configured login (sa, a sysadmin), or the Entra admin; others act as their user in each database. */
  admin: boolean;
  /** Logged in with a Microsoft Entra access token: `user` is the principal, matched to users FROM EXTERNAL PROVIDER. */
  entra: boolean;
  hostName: string;
  appName: string;
  serverName: string;
  version: string;
  productVersion: string;
}

/** Results of statements run for the stand-in itself (scripts, clean-up) are not wanted: only errors. */
export const DISCARD: StatementOutput = {
  columns: () => () => undefined,
  done: () => undefined,
  info: () => undefined,
  error: (e) => {
    throw e;
  },
  databaseChanged: () => undefined,
  transactionChanged: () => undefined,
  pace: () => undefined,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  procedureStarted: () => undefined,
  procedureEnded: () => undefined,
};

const dropStatement = (names: ObjectName[]): Statement => ({
  kind: 'dropTable',
  names,
  ifExists: true,
  text: 'DROP TABLE (temporary tables)',
  line: 1,
});

export class Session {
  database: string;
  private identityInsert: TableInfo | undefined;
  private variables = new Map<string, Typed>();
  private tranCount = 0;
  private undo: Undo[] = [];
  private lastIdentity: bigint | null = null;
  options = new SessionOptions();
  private readonly tempTables: TempTables;
  private rowCount = 0;
  private descriptor = Buffer.alloc(8);
  private nextDescriptor = 1n;
  /** Local temporary procedures (`#p`), keyed by lower-case name. */
  private readonly tempProcedures = new Map<string, Procedure>();
  private nesting = 0;
  /** The procedure running, for the ERROR tokens of RAISERROR inside it. */
  private procedureName: string | undefined;
  /** The INSERT BULK whose rows the next request (a BULK_LOAD message) carries. */
  private pendingBulk: PendingBulk | undefined;
  /** SET TRANSACTION ISOLATION LEVEL, or the level a transaction manager request began a transaction at. */
  private isolation: IsolationLevel = 'read committed';
  /** The open transaction's level and start: DuckDB's snapshot is taken when it begins. */
  private transactionIsolation: IsolationLevel = 'read committed';
  private transactionStartMs = 0;
  /** Change-tracked tables the open transaction wrote: their log rows get a version when it commits. */
  private trackedWrites = new Set<TableInfo>();
  /** Those of them it truncated: their commit resets their change information's begin version. */
  private trackedTruncates = new Set<TableInfo>();
  /** Each database's change tracking version when the open transaction began (what it reads). */
  private trackingVersions: ReadonlyMap<string, number> = new Map();

  constructor(
    private readonly db: Database,
    private readonly connection: DuckDBConnection,
    private readonly info: SessionInfo,
    database: string,
  ) {
    this.database = db.catalog.database(database)?.name ?? database;
    this.tempTables = new TempTables(db.catalog, info.spid);
  }

  get transactionDescriptor(): Buffer {
    return this.descriptor;
  }

  get inTransaction(): boolean {
    return this.tranCount > 0;
  }

  private ctx(): EvalContext {
    return {
      database: this.database,
      catalog: this.db.catalog,
      serverName: this.info.serverName,
      spid: this.info.spid,
      tranCount: this.tranCount,
      textSize: this.options.textSize,
      dateFirst: this.options.dateFirst,
      options: this.options.flags,
      lastIdentity: this.lastIdentity,
      rowCount: this.rowCount,
      user: this.info.user,
      principal: this.principal(this.database),
      hostName: this.info.hostName,
      appName: this.info.appName,
      version: this.info.version,
      productVersion: this.info.productVersion,
      changeTrackingVersion: (database) => this.changeTrackingVersion(database),
      objectId: (name) => {
        try {
          return this.db.table(this.tempTables.resolve(parseObjectName(name)), this.database).objectId;
        } catch {
          return null;
        }
      },
    };
  }

  /**
   * CHANGE_TRACKING_CURRENT_VERSION() as this session reads it: inside a transaction, the version when it
   * began, which its DuckDB snapshot includes (see ChangeTracking.versions); otherwise the latest.
   */
  private changeTrackingVersion(database: string): number {
    return this.tranCount > 0
      ? ChangeTracking.versionOf(this.trackingVersions, database)
      : this.db.changeTracking.currentVersion(database);
  }

  /**
   * Runs a statement that writes `table`, with the change log it writes to when the table is tracked:
   * in the open transaction, or else in one of its own, committed with the next version. An untracked
   * table's writes take no detour.
   */
  private async writing<T>(
    table: TableInfo,
    run: (log?: ChangeLog) => Promise<T>,
    { truncates = false } = {},
  ): Promise<T> {
    if (!table.changeTracking) return run();
    const log = this.db.changeTracking.log(table, this.connection);
    if (this.tranCount > 0) {
      this.trackedWrites.add(table);
      if (truncates) this.trackedTruncates.add(table);
      return run(log);
    }
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await run(log);
      await this.commitTracked([table], truncates ? [table] : []);
      return result;
    } catch (e) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Commits the open transaction, which wrote these tracked tables, with the next version. */
  private commitTracked(tables: Iterable<TableInfo>, truncated: Iterable<TableInfo>): Promise<void> {
    return this.db.changeTracking.commit(this.connection, tables, {
      tables: truncated,
      // The catalog is one row: written one DDL at a time.
      saveCatalog: () => this.db.serializeDdl(() => this.db.saveCatalog(this.connection)),
    });
  }

  /** Filter predicates also limit the rows UPDATE and DELETE see, which the stand-in does not model. */
  private refuseFiltered(name: ObjectName): void {
    const q = this.db.qualify(name, this.database);
    const table = this.db.catalog.table(q.database, q.schema, q.name);
    if (table && this.db.catalog.security.filtersOn(table.objectId).length > 0)
      throw notSupported('UPDATE or DELETE of a table under an enabled security policy');
  }

  /** The session's principal in `database`; 916 when its login has no user there. */
  private principal(database: string): Principal {
    if (this.info.admin) return { admin: true };
    const user = this.db.catalog.security.userOfLogin(database, this.info.user, this.info.entra);
    if (!user) {
      throw new SqlError(
        916,
        `The server principal "${this.info.user}" is not able to access the database "${database}" under the current security context.`,
        { class: 14 },
      );
    }
    return { admin: false, user };
  }

  private env(): BindEnv {
    return { ctx: this.ctx(), variables: this.variables, scope: [] };
  }

  /** A variable's value after the last batch: what an OUTPUT parameter returns. */
  variable(name: string): Typed | undefined {
    return this.variables.get(name.toLowerCase());
  }

  /**
   * Runs a batch, or sp_executesql's (or a prepared) statement with its parameters as variables, whose SET
   * options end with it.
   */
  async executeBatch(text: string, out: StatementOutput, parameters?: Map<string, Typed>): Promise<void> {
    if (parameters) return this.inSetScope(() => this.run(text, out, parameters));
    return this.run(text, out);
  }

  /**
   * Runs `body` in a scope whose SET options are restored when it ends: a procedure, and dynamic SQL
   * run by EXECUTE or sp_executesql ("the value of the SET option gets restored after control returns",
   * https://learn.microsoft.com/sql/t-sql/statements/set-statements-transact-sql; the isolation level too,
   * https://learn.microsoft.com/sql/t-sql/statements/set-transaction-isolation-level-transact-sql).
   */
  private async inSetScope<T>(body: () => Promise<T>): Promise<T> {
    const options = this.options.copy();
    const { isolation, identityInsert } = this;
    try {
      return await body();
    } finally {
      this.options = options;
      this.isolation = isolation;
      this.identityInsert = identityInsert;
    }
  }

  private async run(text: string, out: StatementOutput, parameters?: Map<string, Typed>): Promise<void> {
    this.variables = new Map(parameters);
    this.pendingBulk = undefined;
    const created = parseCreateProcedure(text);
    if (created) {
      this.createProcedure(created.name, created.procedure);
      return out.done(CURRENT_COMMAND.NONE);
    }
    const header = functionHeader(text);
    if (header) {
      const scalar = parseScalarFunction(header, this.database);
      if (scalar) this.db.catalog.createScalarFunction(scalar);
      else this.db.catalog.security.createFunction(parseCreateFunction(header, this.database));
      return out.done(CURRENT_COMMAND.NONE);
    }
    const statements = parseBatch(text);
    this.tempTables.rewrite(statements);
    statements.forEach((s, i) => {
      if (s.kind === 'createSchema' && i > 0) {
        throw new SqlError(111, "'CREATE SCHEMA' must be the first statement in a query batch.", {
          class: 15,
        });
      }
    });
    try {
      for (const statement of statements) await this.execute(statement, out);
    } catch (e) {
      // RETURN in a batch ends it.
      if (!(e instanceof Returned)) throw e;
    }
  }

  private procedureKey(name: ObjectName): { key: string; temp: boolean } {
    const last = name.parts[name.parts.length - 1]!;
    if (last.startsWith('#')) {
      if (last.startsWith('##')) throw notSupported('global temporary procedures (##p)');
      return { key: last.toLowerCase(), temp: true };
    }
    const parts = [...name.parts];
    while (parts.length < 3) parts.unshift('');
    const [database, schema] = parts;
    if (database && !this.db.catalog.database(database)) {
      throw new SqlError(
        911,
        `Database '${database}' does not exist. Make sure that the name is entered correctly.`,
      );
    }
    return {
      key: `${database || this.database}.${schema || 'dbo'}.${last}`.toLowerCase(),
      temp: false,
    };
  }

  private procedures(temp: boolean): Map<string, Procedure> {
    return temp ? this.tempProcedures : this.db.procedures;
  }

  private createProcedure(name: ObjectName, procedure: Procedure): void {
    const { key, temp } = this.procedureKey(name);
    const schema = name.parts.length >= 2 ? name.parts[name.parts.length - 2] : 'dbo';
    if (!temp && schema && schema.toLowerCase() !== 'dbo') {
      throw notSupported('procedures outside the dbo schema');
    }
    const tableKey = this.procedureTableClash(name);
    if (this.procedures(temp).has(key) || tableKey) {
      throw new SqlError(2714, `There is already an object named '${procedure.name}' in the database.`);
    }
    this.procedures(temp).set(key, procedure);
  }

  /** A table of the same name: SQL Server's objects share one namespace per schema. */
  private procedureTableClash(name: ObjectName): boolean {
    try {
      this.db.table(this.tempTables.resolve(name), this.database);
      return true;
    } catch {
      return false;
    }
  }

  private dropProcedures(names: ObjectName[], ifExists: boolean): void {
    for (const name of names) {
      const { key, temp } = this.procedureKey(name);
      if (this.procedures(temp).delete(key) || ifExists) continue;
      throw new SqlError(
        3701,
        `Cannot drop the procedure '${name.text}', because it does not exist or you do not have permission.`,
        { class: 11 },
      );
    }
  }

  /**
   * Runs a procedure with its arguments bound as SQL Server binds them (by name or position, defaults for
   * the rest); returns its status and the values of the OUTPUT parameters passed as output, by argument index.
   */
  async callProcedure(
    name: ObjectName,
    args: ProcedureArgument[],
    out: StatementOutput,
  ): Promise<{ status: number; outputs: { index: number; name: string; value: Typed }[] }> {
    const { key, temp } = this.procedureKey(name);
    const procedure = this.procedures(temp).get(key);
    if (!procedure) {
      const last = name.parts[name.parts.length - 1]!;
      if (last.toLowerCase() === 'sp_addtype') {
        await this.addType(args, out);
        return { status: 0, outputs: [] };
      }
      if (last.toLowerCase() === 'sp_addextendedproperty') {
        addExtendedProperty(this.db.catalog, this.database, args);
        return { status: 0, outputs: [] };
      }
      if (isSystemProcedure(last)) throw notSupported(`the system procedure ${last}`);
      throw new SqlError(2812, `Could not find stored procedure '${name.text}'.`);
    }
    if (this.nesting >= MAX_NESTING) {
      throw new SqlError(
        217,
        'Maximum stored procedure, function, trigger, or view nesting level exceeded (limit 32).',
      );
    }
    const variables = new Map<string, Typed>();
    const bound: { index: number; parameter: Procedure['parameters'][number] }[] = [];
    let named = false;
    args.forEach((a, index) => {
      let parameter;
      if (a.name) {
        named = true;
        const wanted = a.name.toLowerCase();
        parameter = procedure.parameters.find((p) => p.name.toLowerCase() === wanted);
        if (!parameter) {
          throw new SqlError(8145, `${a.name} is not a parameter for procedure ${procedure.name}.`);
        }
      } else {
        if (named) {
          throw new SqlError(
            119,
            `Must pass parameter number ${index + 1} and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.`,
            { class: 15 },
          );
        }
        parameter = procedure.parameters[index];
        if (!parameter) {
          throw new SqlError(
            8144,
            `Procedure or function ${procedure.name} has too many arguments specified.`,
          );
        }
      }
      variables.set(parameter.name.toLowerCase(), {
        type: parameter.type,
        value: convert(a.value.value, a.value.type, parameter.type),
      });
      if (a.output && parameter.output) bound.push({ index, parameter });
    });
    for (const p of procedure.parameters) {
      if (variables.has(p.name.toLowerCase())) continue;
      if (!p.default) {
        throw new SqlError(
          201,
          `Procedure or function '${procedure.name}' expects parameter '${p.name}', which was not supplied.`,
        );
      }
      const v = this.constant(p.default);
      variables.set(p.name.toLowerCase(), { type: p.type, value: convert(v.value, v.type, p.type) });
    }
    const saved = this.variables;
    const caller = this.procedureName;
    this.variables = variables;
    this.procedureName = procedure.name;
    this.nesting++;
    let status = 0;
    try {
      const statements = parseBatch(procedure.body);
      this.tempTables.rewrite(statements);
      await this.inSetScope(async () => {
        for (const statement of statements) await this.execute(statement, out, procedure.line - 1);
      });
    } catch (e) {
      if (!(e instanceof Returned)) throw e;
      status = e.status;
    } finally {
      this.variables = saved;
      this.procedureName = caller;
      this.nesting--;
    }
    const outputs = bound.map(({ index, parameter }) => ({
      index,
      name: parameter.name,
      value: variables.get(parameter.name.toLowerCase())!,
    }));
    return { status, outputs };
  }

  /** Parses 'hh:mm[:ss[.mmm]]' as WAITFOR DELAY takes it; error 148 otherwise. */
  private delayMs(text: string): number {
    const m = /^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,3}))?)?\s*$/.exec(text);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) {
      throw new SqlError(148, `Incorrect time syntax in time string '${text}' used with WAITFOR.`, {
        class: 15,
      });
    }
    const ms = m[4] ? Number(m[4].padEnd(3, '0')) : 0;
    return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + ms;
  }

  private async execute(s: Statement, out: StatementOutput, lineOffset = 0): Promise<void> {
    try {
      await this.executeStatement(s, out, s.line + lineOffset);
    } catch (e) {
      if (e instanceof Cancelled || e instanceof Returned) throw e;
      const error = translateDuckError(e);
      // A deadlock victim's transaction is rolled back; with XACT_ABORT ON so is it after any error.
      if ((error.number === 1205 || this.options.xactAbort) && this.tranCount > 0) await this.rollback(out);
      if (!located.has(error)) {
        error.lineNumber = s.line + lineOffset;
        located.add(error);
      }
      if (this.options.xactAbort || !STATEMENT_ONLY_ERRORS.has(error.number)) throw error;
      out.error(error, this.procedureName ?? '');
    }
  }

  private count(command: number, n: number, out: StatementOutput): void {
    this.rowCount = n;
    out.done(command, this.options.noCount ? undefined : n);
  }

  /** `line`: the statement's line in the batch or procedure, for the errors it reports without ending it. */
  private async executeStatement(s: Statement, out: StatementOutput, line: number): Promise<void> {
    switch (s.kind) {
      case 'select':
        return this.select(s, out);
      case 'insert': {
        const table = this.userTable(s.table);
        this.refuseVersionedWrite(table, 'INSERT');
        let source: InsertSource;
        if (s.rows === 'default' || Array.isArray(s.rows)) source = s.rows;
        else {
          const plan = planSelect(s.rows, this.planEnv());
          const rows: SqlValue[][] = [];
          await this.forEachRow(plan, (values) => {
            rows.push([...values]);
          });
          source = { types: plan.columns.map((c) => c.type), rows };
        }
        const result = await this.writing(table, (log) =>
          insertRows(table, s.columns, source, {
            env: this.env(),
            connection: this.connection,
            identityInsert: this.identityInsert === table,
            log,
          }),
        );
        if (result.lastIdentity !== null) this.lastIdentity = result.lastIdentity;
        return this.count(CURRENT_COMMAND.INSERT, result.count, out);
      }
      case 'insertBulk':
        this.pendingBulk = prepareBulk(s, this.db.table(s.table, this.database));
        return out.done(CURRENT_COMMAND.NONE);
      case 'bulkInsertFile': {
        // A local SQL Server reads the path on its own disk: the stand-in's is the machine it runs on.
        const table = this.userTable(s.table);
        const bytes = readDataFile(s.file);
        const { types, rows } = dataFileRows(bytes, table.columns, s.options);
        const bulk: PendingBulk = {
          table,
          columns: table.columns.map((c) => c.name),
          declared: types,
          options: s.options,
        };
        const result = await this.writing(table, (log) =>
          loadBulk(bulk, types, rows, { env: this.env(), connection: this.connection, log }),
        );
        return this.count(CURRENT_COMMAND.INSERT, result.count, out);
      }
      case 'update': {
        this.refuseFiltered(s.table);
        const table = this.userTable(s.table);
        this.refuseVersionedWrite(table, 'UPDATE');
        const n = await this.writing(table, (log) =>
          updateRows(table, s.sets, s.where, this.env(), this.connection, log),
        );
        return this.count(CURRENT_COMMAND.UPDATE, n, out);
      }
      case 'delete': {
        this.refuseFiltered(s.table);
        const table = this.userTable(s.table);
        this.refuseVersionedWrite(table, 'DELETE');
        const n = await this.writing(table, (log) =>
          deleteRows(table, s.where, this.env(), this.connection, log),
        );
        return this.count(CURRENT_COMMAND.DELETE, n, out);
      }
      case 'truncate': {
        const table = this.db.table(s.table, this.database);
        this.refuseVersionedWrite(table, 'TRUNCATE');
        await this.writing(
          table,
          async (log) => {
            await deleteRows(table, undefined, this.env(), this.connection);
            if (log) await this.db.changeTracking.truncate(table, this.connection);
          },
          { truncates: true },
        );
        table.identityCurrent = undefined;
        return out.done(CURRENT_COMMAND.NONE);
      }
      case 'createTable':
      case 'dropTable':
      case 'createSchema':
      case 'dropSchema':
      case 'createDatabase':
      case 'dropDatabase':
      case 'createIndex':
      case 'dropIndex':
        return this.ddl(s, out);
      case 'createLogin':
      case 'createUser':
      case 'createExternalUser':
      case 'grant':
      case 'addRoleMember':
      case 'createSecurityPolicy':
      case 'dropSecurityPolicy':
        runSecurityStatement(s, this.db, this.database, this.info.entra);
        return out.done(CURRENT_COMMAND.NONE);
      case 'alterColumnMask':
        await this.db.serializeDdl(async () => {
          runSecurityStatement(s, this.db, this.database, this.info.entra);
          await this.db.saveCatalog(this.connection);
        });
        return out.done(CURRENT_COMMAND.NONE);
      case 'use': {
        const target = this.db.catalog.database(s.database);
        if (!target) {
          throw new SqlError(
            911,
            `Database '${s.database}' does not exist. Make sure that the name is entered correctly.`,
          );
        }
        this.principal(target.name);
        const old = this.database;
        this.database = target.name;
        out.databaseChanged(target.name, old);
        out.info(5701, `Changed database context to '${target.name}'.`);
        return out.done(CURRENT_COMMAND.NONE);
      }
      case 'setIdentityInsert': {
        const table = this.db.table(s.table, this.database);
        if (!table.columns.some((c) => c.identity)) {
          throw new SqlError(
            8106,
            `Table '${table.schema}.${table.name}' does not have the identity property. Cannot perform SET operation.`,
          );
        }
        if (s.on && this.identityInsert && this.identityInsert !== table) {
          const other = this.identityInsert;
          throw new SqlError(
            8107,
            `IDENTITY_INSERT is already ON for table '${other.database}.${other.schema}.${other.name}'. Cannot perform SET operation for table '${table.schema}.${table.name}'.`,
          );
        }
        this.identityInsert = s.on ? table : this.identityInsert === table ? undefined : this.identityInsert;
        return out.done(CURRENT_COMMAND.SET);
      }
      case 'setIsolation':
        checkIsolation(s.level);
        this.isolation = s.level;
        return out.done(CURRENT_COMMAND.SET);
      case 'dbccUserOptions': {
        const rows = this.options.userOptions(this.isolation);
        // The page names the columns but not their types.
        const write = out.columns([
          { name: 'Set Option', type: nvarchar(128), nullable: false },
          { name: 'Value', type: nvarchar(128), nullable: false },
        ]);
        for (const row of rows) write(row);
        out.done(CURRENT_COMMAND.NONE, rows.length);
        // "DBCC execution completed. ..." is message 2528, an informational one NO_INFOMSGS suppresses.
        if (!s.noInfoMessages)
          out.info(
            2528,
            'DBCC execution completed. If DBCC printed error messages, contact your system administrator.',
          );
        return;
      }
      case 'alterTableChangeTracking':
      case 'alterTableAdd':
      case 'alterTableCheck':
      case 'createType':
      case 'createXmlSchemaCollection':
      case 'alterXmlSchemaCollection':
      case 'dropXmlSchemaCollection':
        return this.ddl(s, out);
      case 'checkpoint':
        // https://learn.microsoft.com/sql/t-sql/language-elements/checkpoint-transact-sql: writes dirty pages
        // and log to disk; DuckDB's writes are already durable when they return, so nothing is left to do.
        return out.done(CURRENT_COMMAND.NONE);
      case 'updateStatistics':
        // https://learn.microsoft.com/sql/t-sql/statements/update-statistics-transact-sql: statistics feed
        // the query optimizer only, and the stand-in keeps none; the table must exist.
        this.userTable(s.table);
        return out.done(CURRENT_COMMAND.NONE);
      case 'dropObject':
        // The stand-in cannot create views or triggers (CREATE is 50000), so none exists; scalar functions
        // can be.
        for (const name of s.names) {
          if (
            s.objectType === 'FUNCTION' &&
            this.db.catalog.dropScalarFunction(this.db.qualify(name, this.database))
          )
            continue;
          if (s.ifExists) continue;
          throw new SqlError(
            3701,
            `Cannot drop the ${s.objectType.toLowerCase()} '${name.text}', because it does not exist or you do not have permission.`,
            { class: 11 },
          );
        }
        return out.done(CURRENT_COMMAND.NONE);
      case 'alterDatabaseRecovery':
      case 'alterDatabaseChangeTracking':
      case 'alterDatabaseSnapshot':
        if (this.tranCount > 0)
          throw new SqlError(226, 'ALTER DATABASE statement not allowed within multi-statement transaction.');
        return this.ddl(s, out);
      case 'setFlags':
        for (const name of s.names) this.options.setFlag(name, s.on);
        return out.done(CURRENT_COMMAND.SET);
      case 'setSessionOption':
        this.setSessionOption(s);
        return out.done(CURRENT_COMMAND.SET);
      case 'declare':
        for (const v of s.variables) {
          const initial = v.initial ? this.constant(v.initial) : { type: v.type, value: null };
          this.variables.set(v.name.toLowerCase(), {
            type: v.type,
            value: convert(initial.value, initial.type, v.type),
          });
        }
        return;
      case 'setVariable':
        this.assign(s.name, this.constant(s.expr));
        // SET @v = ... counts one row: @@ROWCOUNT is 1 after it and its DONE carries the count.
        return this.count(CURRENT_COMMAND.SET, 1, out);
      case 'transaction':
        if (s.action === 'begin') await this.begin(out);
        else if (s.action === 'commit') await this.commit(out);
        else await this.rollback(out);
        return out.done(
          s.action === 'begin'
            ? CURRENT_COMMAND.BEGIN_TRAN
            : s.action === 'commit'
              ? CURRENT_COMMAND.COMMIT_TRAN
              : CURRENT_COMMAND.ROLLBACK_TRAN,
        );
      case 'print': {
        const v = this.constant(s.expr);
        out.info(
          0,
          v.value === null ? '' : String(convert(v.value, v.type, { name: 'nvarchar', length: -1 })),
        );
        return;
      }
      case 'block':
        for (const inner of s.statements) await this.execute(inner, out);
        return;
      case 'return': {
        if (this.nesting === 0 && s.expr) {
          throw new SqlError(178, 'A RETURN statement with a return value cannot be used in this context.', {
            class: 15,
          });
        }
        const v = s.expr ? this.constant(s.expr) : undefined;
        const status = v ? convert(v.value, v.type, INT) : 0;
        throw new Returned(status === null ? 0 : Number(status));
      }
      case 'waitfor': {
        const v = this.constant(s.delay);
        const text =
          v.value === null ? '' : String(convert(v.value, v.type, { name: 'varchar', length: 8000 }));
        await out.sleep(this.delayMs(text));
        return;
      }
      case 'dropProcedure':
        this.dropProcedures(s.names, s.ifExists);
        return out.done(CURRENT_COMMAND.NONE);
      case 'execString': {
        // Dynamic SQL: a batch of its own scope (the caller's variables are not visible in it).
        const v = this.constant(s.expr);
        const text =
          v.value === null ? '' : String(convert(v.value, v.type, { name: 'nvarchar', length: -1 }));
        const saved = this.variables;
        try {
          await this.inSetScope(() => this.run(text, out));
        } finally {
          this.variables = saved;
        }
        return;
      }
      case 'exec': {
        const args = s.args.map((a) => {
          if (a.output && a.expr.kind !== 'variable') {
            throw new SqlError(
              179,
              'Cannot use the OUTPUT option when passing a constant to a stored procedure.',
              {
                class: 15,
              },
            );
          }
          return { name: a.name, value: this.constant(a.expr), output: a.output };
        });
        out.procedureStarted();
        const result = await this.callProcedure(s.name, args, out);
        for (const o of result.outputs) {
          const target = s.args[o.index]!.expr;
          if (target.kind === 'variable') this.assign(target.name, o.value);
        }
        out.procedureEnded(result.status);
        return;
      }
      case 'raiserror':
        return this.raiseError(s, out, line);
      case 'if': {
        const condition = await this.resolveExists(s.condition);
        const p = new Binder(this.env(), false).pred(condition);
        const value = p.k === 'bool' ? p.value : evaluateConstantPred(p, this.ctx());
        for (const inner of value === true ? s.then : (s.otherwise ?? [])) await this.execute(inner, out);
        return;
      }
    }
  }

  /**
   * RAISERROR with a message text (error 50000): severity 0-10 is an informational message (10 sent as 0,
   * as SQL Server does), 11-18 an error that does not end the batch. Message numbers (sys.messages) and
   * severities from 19 (WITH LOG, ending the connection from 20) are refused.
   */
  private raiseError(
    s: Extract<StatementBody, { kind: 'raiserror' }>,
    out: StatementOutput,
    line: number,
  ): void {
    const message = this.constant(s.message);
    if (message.value !== null && !isStringType(message.type))
      throw notSupported('RAISERROR with a message number (sys.messages)');
    const number = (e: Expr): number => {
      const v = this.constant(e);
      return v.value === null ? 0 : Number(convert(v.value, v.type, INT));
    };
    const severity = Math.max(0, number(s.severity));
    const state = number(s.state);
    if (severity > 18) throw notSupported('RAISERROR with a severity above 18');
    if (state > 255) throw notSupported('RAISERROR with a state above 255');
    const text = formatRaiserror(
      message.value === null ? '' : String(message.value),
      s.args.map((a) => this.constant(a)),
    );
    const details = { class: severity, state: state < 0 ? 1 : state };
    if (severity <= 10) return out.info(50000, text, { ...details, class: severity === 10 ? 0 : severity });
    const error = new SqlError(50000, text, details);
    error.lineNumber = line;
    out.error(error, this.procedureName ?? '');
  }

  private setSessionOption(s: Extract<StatementBody, { kind: 'setSessionOption' }>): void {
    if (typeof s.value === 'string') return this.options.setValue(s.option, s.value);
    const v = this.constant(s.value);
    const n = convert(v.value, v.type, INT) as number;
    if (s.option === 'textsize') this.options.setTextSize(n);
    else if (s.option === 'datefirst') this.options.setDateFirst(n);
    else this.options.setValue(s.option, n);
  }

  private constant(e: Expr): Typed {
    const b = new Binder(this.env(), false).value(e);
    if (b.k !== 'const') throw notSupported('column references outside a query');
    return { type: b.type, value: b.value };
  }

  private assign(name: string, v: Typed): void {
    const target = this.variables.get(name.toLowerCase());
    if (!target) throw new SqlError(137, `Must declare the scalar variable "${name}".`, { class: 15 });
    this.variables.set(name.toLowerCase(), {
      type: target.type,
      value: convert(v.value, v.type, target.type),
    });
  }

  /** EXISTS (SELECT ...) in an IF: runs the query and puts its answer in place. */
  private async resolveExists(e: Expr): Promise<Expr> {
    switch (e.kind) {
      case 'exists': {
        const plan = planSelect({ ...e.select, top: undefined, orderBy: undefined }, this.planEnv());
        let found = !plan.empty;
        if (plan.query) {
          const rows = await this.connection.runAndReadAll(
            `${plan.query.sql} LIMIT 1`,
            plan.query.params.values,
            plan.query.params.types,
          );
          found = rows.currentRowCount > 0;
        }
        const one = { kind: 'literal' as const, value: { type: { name: 'int' as const }, value: 1 } };
        const answer = {
          kind: 'literal' as const,
          value: { type: { name: 'int' as const }, value: found !== e.not ? 1 : 0 },
        };
        return { kind: 'compare', op: '=', left: one, right: answer };
      }
      case 'logical':
        return { ...e, left: await this.resolveExists(e.left), right: await this.resolveExists(e.right) };
      case 'not':
        return { ...e, expr: await this.resolveExists(e.expr) };
      default:
        return e;
    }
  }

  private planEnv(): Parameters<typeof planSelect>[1] {
    return {
      ...this.env(),
      resolve: (name) => {
        const relation = this.db.relation(name, this.database);
        if (relation.table) this.checkSnapshotAccess(relation.table);
        return relation;
      },
      resolveChanges: (name, lastVersion) => this.changesRelation(name, lastVersion),
    };
  }

  /**
   * CHANGETABLE(CHANGES t, last_sync_version): 22105 unless t is tracked. A version below the table's
   * minimum valid version is not an error: the client is to compare it with
   * CHANGE_TRACKING_MIN_VALID_VERSION itself ("Validating the Last Synchronized Version",
   * https://learn.microsoft.com/sql/relational-databases/track-changes/work-with-change-tracking-sql-server).
   */
  private changesRelation(name: ObjectName, lastVersion: Expr): Relation {
    const table = this.db.table(this.tempTables.resolve(name), this.database);
    if (!table.changeTracking) {
      throw new SqlError(22105, `Change tracking is not enabled on table '${table.schema}.${table.name}'.`);
    }
    this.checkSnapshotAccess(table);
    const v = this.constant(lastVersion);
    const last = v.value === null ? null : (convert(v.value, v.type, { name: 'bigint' }) as bigint);
    const { database, schema } = table;
    return {
      database,
      schema,
      name: table.name,
      columns: changesColumns(table),
      changes: this.db.changeTracking.changesSql(table, last, this.changeTrackingVersion(database)),
    };
  }

  /**
   * System versioning's writes: an UPDATE or DELETE of a system-versioned table moves the old row to its
   * history table, which the stand-in does not model, and SQL Server refuses writes to a history table
   * while versioning is on (https://learn.microsoft.com/sql/relational-databases/tables/temporal-tables):
   * both are refused here. INSERT into a versioned table sets its period columns (dml.ts).
   */
  private refuseVersionedWrite(
    table: TableInfo,
    statement: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE',
  ): void {
    const current = this.db.catalog.currentTableOf(table);
    if (current)
      throw notSupported(
        `${statement} on ${table.schema}.${table.name}, the history table of the system-versioned ${current.schema}.${current.name}`,
      );
    if (table.historyTableId !== undefined && statement !== 'INSERT')
      throw notSupported(`${statement} on the system-versioned table ${table.schema}.${table.name}`);
  }

  /** A user table, checked as SQL Server checks data access under SNAPSHOT isolation. */
  private userTable(name: ObjectName): TableInfo {
    const table = this.db.table(name, this.database);
    this.checkSnapshotAccess(table);
    return table;
  }

  /**
   * SQL Server's refusals of data access under SNAPSHOT isolation: a transaction begun at another level
   * (3951), a database without ALLOW_SNAPSHOT_ISOLATION (3952), and a table created since the
   * transaction began (3961: metadata is not versioned). DuckDB's transaction is a snapshot from its
   * BEGIN, which is what the stand-in then reads; SQL Server's begins at the first data access instead.
   */
  private checkSnapshotAccess(table: TableInfo): void {
    if (this.isolation !== 'snapshot' || table.name.startsWith('#')) return;
    // https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-41332-database-engine-error
    if (table.memoryOptimized)
      throw new SqlError(
        41332,
        'Memory optimized tables and natively compiled stored procedures cannot be accessed or created when the session TRANSACTION ISOLATION LEVEL is set to SNAPSHOT.',
      );
    const inTransaction = this.tranCount > 0;
    if (inTransaction && this.transactionIsolation !== 'snapshot') {
      throw new SqlError(
        3951,
        `Transaction failed in database '${table.database}' because the statement was run under snapshot isolation but the transaction did not start in snapshot isolation. You cannot change the isolation level of the transaction to snapshot after the transaction has started unless the transaction was originally started under snapshot isolation level.`,
      );
    }
    if (!this.db.catalog.database(table.database)?.allowSnapshotIsolation) {
      throw new SqlError(
        3952,
        `Snapshot isolation transaction failed accessing database '${table.database}' because snapshot isolation is not allowed in this database. Use ALTER DATABASE to allow snapshot isolation.`,
      );
    }
    if (inTransaction && table.createdMs >= this.transactionStartMs) {
      throw new SqlError(
        3961,
        `Snapshot isolation transaction failed in database '${table.database}' because the object accessed by the statement has been modified by a DDL statement in another concurrent transaction since the start of this transaction.  It is disallowed because the metadata is not versioned. A concurrent update to metadata can lead to inconsistency if mixed with snapshot isolation.`,
      );
    }
  }

  /** A transaction manager request's isolation level (MS-TDS 2.2.6.9): 0 keeps the session's. */
  setIsolationCode(code: number | undefined): void {
    const level = code ? ISOLATION_LEVELS[code - 1] : undefined;
    if (!level) return;
    checkIsolation(level);
    this.isolation = level;
  }

  private async select(s: Select, out: StatementOutput): Promise<void> {
    const plan = planSelect(s, this.planEnv());
    if (plan.assignments) {
      if (!plan.empty)
        plan.assignments.forEach((name, i) =>
          this.assign(name, { type: plan.columns[i]!.type, value: plan.outputs[i]!([]) }),
        );
      return;
    }
    const n = await this.stream(plan, out);
    this.count(CURRENT_COMMAND.SELECT, n, out);
  }

  /** Sends a SELECT's rows to the client as DuckDB produces them, paced by the client. */
  private async stream(plan: SelectPlan, out: StatementOutput): Promise<number> {
    const write = out.columns(plan.columns, plan.order);
    return this.forEachRow(plan, (values) => {
      write(values);
      return out.pace();
    });
  }

  /**
   * Computes a SELECT's rows one DuckDB chunk at a time and hands each to `visit` (the array is reused);
   * a promise from `visit` is awaited before the next row.
   */
  private async forEachRow(
    plan: SelectPlan,
    visit: (values: SqlValue[]) => Promise<void> | void,
  ): Promise<number> {
    const values: SqlValue[] = new Array(plan.outputs.length);
    const outputs = plan.outputs;
    if (!plan.query) {
      if (plan.empty) return 0;
      for (let c = 0; c < outputs.length; c++) values[c] = outputs[c]!([]);
      await visit(values);
      return 1;
    }
    const result = await this.connection.stream(
      plan.query.sql,
      plan.query.params.values,
      plan.query.params.types,
    );
    let count = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const readers = Array.from({ length: chunk.columnCount }, (_, i) =>
        vectorReader(chunk.getColumnVector(i)),
      );
      const raw: unknown[] = new Array(readers.length);
      const rows = chunk.rowCount;
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < readers.length; i++) raw[i] = readers[i]!(r);
        for (let c = 0; c < outputs.length; c++) values[c] = outputs[c]!(raw);
        const wait = visit(values);
        if (wait) await wait;
      }
      count += rows;
    }
    return count;
  }

  /**
   * sp_addtype [@typename =] type, [@phystype =] 'system_data_type' [, [@nulltype =] 'NULL' | 'NOT NULL' |
   * 'NONULL'] [, [@owner =] 'dbo']: CREATE TYPE ... FROM under its old name
   * (https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-addtype-transact-sql;
   * without @nulltype the type takes the session's default nullability, NOT NULL for bit; "quotation marks are
   * required around all parameters that have embedded blank spaces or punctuation marks", so a plain name
   * needs none).
   */
  private async addType(args: ProcedureArgument[], out: StatementOutput): Promise<void> {
    const names = ['@typename', '@phystype', '@nulltype', '@owner'];
    const given = new Map<string, string | null>();
    args.forEach((a, i) => {
      const key = a.name?.toLowerCase() ?? names[i];
      if (!key || !names.includes(key))
        throw new SqlError(
          8145,
          `${a.name ?? `Parameter ${i + 1}`} is not a parameter for procedure sp_addtype.`,
        );
      const v = a.value;
      given.set(
        key,
        v.value === null ? null : String(convert(v.value, v.type, { name: 'nvarchar', length: -1 })),
      );
    });
    const typeName = given.get('@typename');
    const physical = given.get('@phystype');
    if (!typeName || !physical) {
      throw new SqlError(
        201,
        `Procedure or function 'sp_addtype' expects parameter '${typeName ? '@phystype' : '@typename'}', which was not supplied.`,
      );
    }
    const owner = given.get('@owner');
    if (owner && owner.toLowerCase() !== 'dbo')
      throw notSupported('sp_addtype with an @owner other than dbo');
    const nullType = given.get('@nulltype')?.trim().toUpperCase().replace(/\s+/g, ' ');
    if (nullType !== undefined && !['NULL', 'NOT NULL', 'NONULL'].includes(nullType))
      throw notSupported(`sp_addtype with @nulltype '${nullType}'`);
    const base = parseDataType(physical);
    const statement = {
      kind: 'createType' as const,
      name: parseObjectName(typeName.includes('.') ? typeName : `[${typeName.replace(/]/g, ']]')}]`),
      base,
      nullable:
        nullType === undefined ? base.name !== 'bit' && this.options.nullableByDefault : nullType === 'NULL',
      text: `sp_addtype ${typeName}`,
      line: 1,
    };
    await this.ddl(statement, out);
  }

  /** Every row of a table, values by column ordinal (the rows a new CHECK constraint is checked on). */
  private async allRows(table: TableInfo): Promise<SqlValue[][]> {
    const name = {
      parts: [table.database, table.schema, table.name],
      text: `${table.schema}.${table.name}`,
    };
    const select: Select = {
      kind: 'select',
      distinct: false,
      items: [{ kind: 'star' }],
      from: { table: { name }, joins: [] },
    };
    const rows: SqlValue[][] = [];
    await this.forEachRow(planSelect(select, this.planEnv()), (values) => {
      rows.push([...values]);
    });
    return rows;
  }

  private async ddl(s: Statement, out: StatementOutput): Promise<void> {
    const ctx = {
      db: this.db,
      database: this.database,
      connection: this.connection,
      env: this.env(),
      nullableByDefault: this.options.nullableByDefault,
    };
    const undo = await this.db.serializeDdl(() => this.runDdl(s, ctx));
    if (!undo) return;
    if (this.tranCount > 0) this.undo.push(undo);
    out.done(CURRENT_COMMAND.NONE);
  }

  private async runDdl(s: Statement, ctx: Parameters<typeof createTable>[3]): Promise<Undo | undefined> {
    switch (s.kind) {
      case 'createTable':
        this.tempTables.prepare(s.name);
        return createTable(s.name, s.columns, s.constraints, ctx, s.options);
      case 'dropTable':
        return dropTables(s.names, s.ifExists, ctx);
      case 'createSchema':
        return createSchema(s.name, ctx);
      case 'dropSchema':
        return dropSchema(s.name, s.ifExists, ctx);
      case 'createDatabase':
        return createDatabase(s.name, ctx);
      case 'dropDatabase':
        return dropDatabase(s.name, s.ifExists, ctx);
      case 'createIndex':
        return createIndex(s, ctx);
      case 'dropIndex':
        return dropIndex(s, ctx);
      case 'alterDatabaseSnapshot':
        return setSnapshotIsolation(s.database, s.on, ctx);
      case 'alterDatabaseChangeTracking':
        return setDatabaseChangeTracking(s, ctx);
      case 'alterTableChangeTracking':
        return setTableChangeTracking(s, ctx);
      case 'alterDatabaseRecovery':
        return setRecoveryModel(s, ctx);
      case 'createType':
        return createAliasType(s, ctx);
      case 'createXmlSchemaCollection':
        return createXmlSchemaCollection(s, ctx);
      case 'alterXmlSchemaCollection':
        return alterXmlSchemaCollection(s, ctx);
      case 'dropXmlSchemaCollection':
        return dropXmlSchemaCollection(s, ctx);
      case 'alterTableAdd':
        return alterTableAdd(s, ctx, (table) => this.allRows(table));
      case 'alterTableCheck':
        return alterTableCheck(s, ctx);
      default:
        return undefined;
    }
  }

  async begin(out: StatementOutput): Promise<void> {
    if (this.tranCount === 0) {
      // Taken before DuckDB's snapshot, so never ahead of what the transaction reads.
      this.trackingVersions = this.db.changeTracking.versions();
      await this.connection.run('BEGIN TRANSACTION');
      this.transactionIsolation = this.isolation;
      this.transactionStartMs = Date.now();
      this.descriptor = Buffer.alloc(8);
      this.descriptor.writeBigUInt64LE(this.nextDescriptor++);
      out.transactionChanged('begin', this.descriptor);
    }
    this.tranCount++;
  }

  async commit(out: StatementOutput): Promise<void> {
    if (this.tranCount === 0) {
      throw new SqlError(3902, 'The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.');
    }
    if (this.tranCount > 1) {
      this.tranCount--;
      return;
    }
    try {
      if (this.trackedWrites.size > 0) await this.commitTracked(this.trackedWrites, this.trackedTruncates);
      else await this.connection.run('COMMIT');
    } catch (e) {
      await this.rollback(out);
      throw translateDuckError(e);
    }
    this.trackedWrites = new Set();
    this.trackedTruncates = new Set();
    this.tranCount = 0;
    this.undo = [];
    out.transactionChanged('commit', this.descriptor);
    this.descriptor = Buffer.alloc(8);
  }

  async rollback(out: StatementOutput): Promise<void> {
    if (this.tranCount === 0) {
      throw new SqlError(3903, 'The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.');
    }
    await this.connection.run('ROLLBACK').catch(() => undefined);
    this.undo.reverse().forEach((u) => u());
    this.undo = [];
    this.trackedWrites = new Set();
    this.trackedTruncates = new Set();
    this.tranCount = 0;
    out.transactionChanged('rollback', this.descriptor);
    this.descriptor = Buffer.alloc(8);
  }

  /** A BULK_LOAD message: the rows of the INSERT BULK just before it, typed as its column metadata says. */
  async bulkLoad(types: SqlType[], rows: SqlValue[][], out: StatementOutput): Promise<void> {
    const bulk = this.pendingBulk;
    this.pendingBulk = undefined;
    if (!bulk) {
      throw new SqlError(
        50000,
        'The SQL Server stand-in got a BULK_LOAD message without an INSERT BULK before it.',
      );
    }
    try {
      const result = await this.writing(bulk.table, (log) =>
        loadBulk(bulk, types, rows, { env: this.env(), connection: this.connection, log }),
      );
      if (result.lastIdentity !== null) this.lastIdentity = result.lastIdentity;
      this.count(CURRENT_COMMAND.INSERT, result.count, out);
    } catch (e) {
      throw translateDuckError(e);
    }
  }

  /** The in-process bulk load, into a table named as in T-SQL. */
  async bulkInsert(
    name: ObjectName,
    columns: string[],
    rows: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  ): Promise<number> {
    try {
      const table = this.db.table(name, this.database);
      if (table.changeTracking) throw notSupported('bulkInsert into a change-tracked table (use INSERT)');
      return await bulkLoad(this.connection, table, columns, rows, this.env());
    } catch (e) {
      throw translateDuckError(e);
    }
  }

  /** RESETCONNECTION: back to the login state, an open transaction rolled back. */
  async reset(loginDatabase: string, out: StatementOutput): Promise<void> {
    if (this.tranCount > 0) await this.rollback(out);
    this.database = loginDatabase;
    this.identityInsert = undefined;
    this.isolation = 'read committed';
    this.options = new SessionOptions();
    await this.dropTempTables();
    this.tempProcedures.clear();
  }

  /**
   * Rolls back an open transaction, then closes the DuckDB connection. The ROLLBACK is awaited: closing
   * the connection under a running statement crashes the whole process with SIGSEGV, silently.
   */
  async close(): Promise<void> {
    if (this.tranCount > 0) await this.connection.run('ROLLBACK').catch(() => undefined);
    this.undo.reverse().forEach((u) => u());
    await this.dropTempTables();
    this.connection.closeSync();
  }

  /** A session's temporary tables end with it (and with RESETCONNECTION). */
  private async dropTempTables(): Promise<void> {
    const names = this.tempTables.names();
    if (names.length > 0) await this.execute(dropStatement(names), DISCARD);
  }
}

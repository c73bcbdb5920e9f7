/** The syntax tree of the T-SQL subset the stand-in executes. */
import type { SqlType } from '../types/sql-type';
import type { Typed } from '../types/values';

/** A one- to three-part name as written (`dbo.orders`, `[shop].[dbo].[order lines]`). */
export interface ObjectName {
  parts: string[];
  /** The name as the user wrote it, for error messages. */
  text: string;
}

export type CompareOp = '=' | '<>' | '<' | '>' | '<=' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | BitwiseOp;
export type BitwiseOp = '&' | '|' | '^';

export type Expr =
  | { kind: 'literal'; value: Typed }
  | { kind: 'variable'; name: string }
  | { kind: 'global'; name: string }
  | { kind: 'column'; parts: string[]; text: string }
  | { kind: 'call'; name: string; args: Expr[]; star?: boolean; distinct?: boolean }
  | { kind: 'cast'; expr: Expr; type: SqlType; style?: Expr; try: boolean }
  | { kind: 'negate'; expr: Expr }
  | { kind: 'arithmetic'; op: ArithmeticOp; left: Expr; right: Expr }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { kind: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'isNull'; expr: Expr; not: boolean }
  | { kind: 'in'; expr: Expr; list: Expr[]; not: boolean }
  | { kind: 'between'; expr: Expr; low: Expr; high: Expr; not: boolean }
  | { kind: 'like'; expr: Expr; pattern: Expr; not: boolean }
  | { kind: 'case'; operand?: Expr; whens: { when: Expr; then: Expr }[]; otherwise?: Expr }
  | { kind: 'exists'; select: Select; not: boolean };

export type SelectItem =
  | { kind: 'star'; qualifier?: string[] }
  | { kind: 'expr'; expr: Expr; alias?: string; text: string }
  | { kind: 'assign'; variable: string; expr: Expr };

export interface TableRef {
  name: ObjectName;
  alias?: string;
  /** CHANGETABLE(CHANGES name, last_sync_version) AS alias: the changes to the table, not the table. */
  changes?: { lastVersion: Expr };
}

export interface Join {
  type: 'inner' | 'left';
  table: TableRef;
  on: Expr;
}

export interface OrderItem {
  expr: Expr;
  desc: boolean;
}

export interface Select {
  kind: 'select';
  distinct: boolean;
  top?: Expr;
  items: SelectItem[];
  from?: { table: TableRef; joins: Join[] };
  where?: Expr;
  groupBy?: Expr[];
  having?: Expr;
  orderBy?: OrderItem[];
  offset?: Expr;
  fetch?: Expr;
}

/** A type named in CREATE TABLE that is not a system type: an alias type, looked up when the table is made. */
export interface AliasTypeName {
  alias: ObjectName;
}

/** CHECK (expr): its expression, and the text SQL Server keeps as the definition. */
export interface CheckDefinition {
  name?: string;
  expr: Expr;
  text: string;
}

/** `xml([CONTENT | DOCUMENT] collection)`: xml typed by an XML schema collection of the database. */
export interface TypedXmlName {
  xmlCollection: ObjectName;
  document: boolean;
}

export interface ColumnDefinition {
  name: string;
  type: SqlType | AliasTypeName | TypedXmlName;
  nullable?: boolean;
  identity?: { seed: bigint; increment: bigint };
  default?: { expr: Expr; text: string; name?: string };
  primaryKey?: { name?: string; nonclustered?: boolean };
  unique?: { name?: string };
  references?: { name?: string; table: ObjectName; columns: string[] };
  /** MASKED WITH (FUNCTION = '...'): the function's text. */
  mask?: string;
  checks?: CheckDefinition[];
  /** GENERATED ALWAYS AS ROW START | END: a period column of system versioning. */
  generatedAlways?: 'AS_ROW_START' | 'AS_ROW_END';
  /** HIDDEN: left out of SELECT * and of INSERT without a column list. */
  hidden?: boolean;
  /** ENCRYPTED WITH (...): Always Encrypted, kept in the catalog only. */
  encryption?: ColumnEncryption;
}

/**
 * `name AS expression [PERSISTED [NOT NULL]]`: a computed column; its type is the expression's
 * (https://learn.microsoft.com/en-us/sql/relational-databases/tables/specify-computed-columns-in-a-table).
 */
export interface ComputedColumnDefinition {
  name: string;
  computed: { expr: Expr; text: string; persisted: boolean };
  /** PERSISTED NOT NULL. */
  notNull: boolean;
}

/** ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = key, ENCRYPTION_TYPE = ..., ALGORITHM = '...'). */
export interface ColumnEncryption {
  key: string;
  type: 'DETERMINISTIC' | 'RANDOMIZED';
  algorithm: string;
}

/** CREATE TABLE's PERIOD FOR SYSTEM_TIME and WITH (...) options the stand-in keeps. */
export interface TableOptions {
  period?: { start: string; end: string };
  memoryOptimized?: boolean;
  /** SYSTEM_VERSIONING = ON (HISTORY_TABLE = name). */
  historyTable?: ObjectName;
}

export type TableConstraint =
  | {
      kind: 'primaryKey' | 'unique' | 'foreignKey';
      name?: string;
      columns: string[];
      /** PRIMARY KEY / UNIQUE: NONCLUSTERED was written (a primary key is clustered otherwise). */
      nonclustered?: boolean;
      references?: { table: ObjectName; columns: string[] };
    }
  | { kind: 'check'; name?: string; columns: string[]; check: CheckDefinition }
  /** ALTER TABLE ... ADD [CONSTRAINT n] DEFAULT expr FOR column. */
  | { kind: 'default'; name?: string; columns: string[]; default: { expr: Expr; text: string } };

/** INSERT BULK's WITH options that change what the load does (the rest are hints without effect here). */
export interface BulkOptions {
  keepNulls: boolean;
  keepIdentity: boolean;
  /** CHECK_CONSTRAINTS: CHECK constraints are evaluated (they are not otherwise). */
  checkConstraints: boolean;
  /** ORDER (col ASC|DESC, ...): the order the client promises the rows come in. */
  order?: { column: string; descending: boolean }[];
}

/** BULK INSERT's options for a character data file (the ones the stand-in reads; others are refused). */
export interface DataFileOptions extends BulkOptions {
  /** DATAFILETYPE: 'char' (CODEPAGE's encoding) or 'widechar' (UTF-16LE). */
  wide: boolean;
  /** CODEPAGE: only 65001 (UTF-8) and RAW/ACP for ASCII-range files are read. */
  codepage?: string;
  fieldTerminator: string;
  rowTerminator: string;
  firstRow: number;
}

export type StatementBody =
  | Select
  | { kind: 'bulkInsertFile'; table: ObjectName; file: string; options: DataFileOptions }
  | { kind: 'insert'; table: ObjectName; columns?: string[]; rows: Expr[][] | 'default' | Select }
  | {
      kind: 'insertBulk';
      table: ObjectName;
      columns: { name: string; type: SqlType }[];
      options: BulkOptions;
    }
  | { kind: 'update'; table: ObjectName; sets: { column: string; expr: Expr }[]; where?: Expr }
  | { kind: 'delete'; table: ObjectName; where?: Expr }
  | { kind: 'truncate'; table: ObjectName }
  | {
      kind: 'createTable';
      name: ObjectName;
      columns: (ColumnDefinition | ComputedColumnDefinition)[];
      constraints: TableConstraint[];
      options: TableOptions;
    }
  | { kind: 'dropTable'; names: ObjectName[]; ifExists: boolean }
  | { kind: 'createSchema'; name: string }
  | { kind: 'dropSchema'; name: string; ifExists: boolean }
  | { kind: 'createDatabase'; name: string }
  | { kind: 'dropDatabase'; name: string; ifExists: boolean }
  | {
      kind: 'createIndex';
      name: string;
      table: ObjectName;
      columns: string[];
      unique: boolean;
      clustered: boolean;
    }
  | { kind: 'dropIndex'; name: string; table: ObjectName; ifExists: boolean }
  | { kind: 'use'; database: string }
  | { kind: 'setIdentityInsert'; table: ObjectName; on: boolean }
  | { kind: 'setIsolation'; level: IsolationLevel }
  | { kind: 'dbccUserOptions'; noInfoMessages: boolean }
  | { kind: 'alterDatabaseSnapshot'; database: string; on: boolean }
  /** ALTER DATABASE name|CURRENT SET CHANGE_TRACKING = ON [(...)] | = OFF | (...); `on` absent for options only. */
  | {
      kind: 'alterDatabaseChangeTracking';
      database: string | null;
      on?: boolean;
      retention?: { value: number; units: 'MINUTES' | 'HOURS' | 'DAYS' };
      autoCleanup?: boolean;
    }
  /** ALTER TABLE t ENABLE CHANGE_TRACKING [WITH (TRACK_COLUMNS_UPDATED = ON|OFF)] | DISABLE CHANGE_TRACKING. */
  | { kind: 'alterTableChangeTracking'; table: ObjectName; enable: boolean; trackColumnsUpdated: boolean }
  /** SET NOCOUNT, ANSI_NULLS, QUOTED_IDENTIFIER, ANSI_DEFAULTS, STATISTICS IO, ... ON | OFF. */
  | { kind: 'setFlags'; names: string[]; on: boolean }
  /** SET options with a value: a number (TEXTSIZE, ROWCOUNT, ...) or a name (LANGUAGE, DATEFORMAT, ...). */
  | { kind: 'setSessionOption'; option: string; value: Expr | string }
  | { kind: 'declare'; variables: { name: string; type: SqlType; initial?: Expr }[] }
  | { kind: 'setVariable'; name: string; expr: Expr }
  | { kind: 'transaction'; action: 'begin' | 'commit' | 'rollback' }
  | { kind: 'print'; expr: Expr }
  | { kind: 'raiserror'; message: Expr; severity: Expr; state: Expr; args: Expr[] }
  | { kind: 'if'; condition: Expr; then: Statement[]; otherwise?: Statement[] }
  | { kind: 'block'; statements: Statement[] }
  | { kind: 'exec'; name: ObjectName; args: ExecArgument[] }
  | { kind: 'execString'; expr: Expr }
  | { kind: 'dropProcedure'; names: ObjectName[]; ifExists: boolean }
  | { kind: 'return'; expr?: Expr }
  | { kind: 'waitfor'; delay: Expr }
  | { kind: 'createLogin'; name: string; password: string }
  | { kind: 'createUser'; name: string; login: string }
  | { kind: 'createExternalUser'; name: string }
  | { kind: 'grant'; permissions: string[]; principal: string; revoke: boolean }
  | { kind: 'addRoleMember'; role: string; member: string }
  /** ALTER TABLE t ALTER COLUMN c ADD MASKED WITH (FUNCTION = '...') | DROP MASKED. */
  | { kind: 'alterColumnMask'; table: ObjectName; column: string; mask?: string }
  | {
      kind: 'createSecurityPolicy';
      name: ObjectName;
      filters: { fn: ObjectName; columns: string[]; table: ObjectName }[];
      enabled: boolean;
      schemaBinding: boolean;
    }
  | { kind: 'dropSecurityPolicy'; name: ObjectName; ifExists: boolean }
  | { kind: 'checkpoint' }
  | { kind: 'updateStatistics'; table: ObjectName }
  /** DROP VIEW | TRIGGER | FUNCTION: objects the stand-in cannot create, so none exists. */
  | {
      kind: 'dropObject';
      objectType: 'VIEW' | 'TRIGGER' | 'FUNCTION';
      names: ObjectName[];
      ifExists: boolean;
    }
  | { kind: 'alterDatabaseRecovery'; database: string | null; model: 'FULL' | 'BULK_LOGGED' | 'SIMPLE' }
  /** ALTER TABLE t [WITH CHECK | NOCHECK] ADD constraint, ...: `check` says whether existing rows are checked. */
  | { kind: 'alterTableAdd'; table: ObjectName; constraints: TableConstraint[]; check: boolean }
  /** ALTER TABLE t CHECK | NOCHECK CONSTRAINT ALL | name, ...: enables or disables CHECK and FOREIGN KEYs. */
  | { kind: 'alterTableCheck'; table: ObjectName; enable: boolean; names: string[] | 'all' }
  /** CREATE TYPE name FROM base [NULL | NOT NULL], or sp_addtype: an alias type. */
  | { kind: 'createType'; name: ObjectName; base: SqlType; nullable?: boolean }
  | { kind: 'createXmlSchemaCollection'; name: ObjectName; xsd: Expr }
  | { kind: 'alterXmlSchemaCollection'; name: ObjectName; xsd: Expr }
  | { kind: 'dropXmlSchemaCollection'; name: ObjectName };

/** SET TRANSACTION ISOLATION LEVEL's levels, in the order of TDS's transaction manager codes 1-5. */
export const ISOLATION_LEVELS = [
  'read uncommitted',
  'read committed',
  'repeatable read',
  'serializable',
  'snapshot',
] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

/** An argument of EXEC: `@p = value`, `value`, `@p = @v OUTPUT`. */
export interface ExecArgument {
  name?: string;
  expr: Expr;
  output: boolean;
}

/** A statement with its source text (what fault patterns match) and its line in the batch. */
export type Statement = StatementBody & { text: string; line: number };

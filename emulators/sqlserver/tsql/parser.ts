/**
 * A recursive-descent parser for the T-SQL subset. Anything outside it is either error 102/156 (what SQL
 * Server says about text it cannot parse) or a plain "not supported" for valid T-SQL the stand-in lacks.
 */
import { toCodePage1252 } from '../collation';
import { SqlError, notSupported } from '../errors';
import { parseDecimalText, rescale } from '../types/decimal';
import { resolveType, type SqlType } from '../types/sql-type';
import type { Typed } from '../types/values';
import type {
  AliasTypeName,
  TypedXmlName,
  BulkOptions,
  DataFileOptions,
  CheckDefinition,
  ColumnEncryption,
  ExecArgument,
  ColumnDefinition,
  ComputedColumnDefinition,
  CompareOp,
  Expr,
  Join,
  ObjectName,
  OrderItem,
  Select,
  SelectItem,
  Statement,
  StatementBody,
  TableConstraint,
  TableOptions,
  TableRef,
} from './ast';
import { ISOLATION_LEVELS } from './ast';
import { isSystemProcedure } from './builtins';
import { tokenize, type Token } from './lexer';

/** Words SQL Server reserves: they cannot be aliases, and syntax errors near them are error 156. */
const RESERVED = new Set(
  `add all alter and any as asc authorization backup begin between break browse bulk by cascade case check
  checkpoint close clustered coalesce collate column commit compute constraint contains containstable continue
  convert create cross current current_date current_time current_timestamp current_user cursor database dbcc
  deallocate declare default delete deny desc disk distinct distributed double drop dump else end errlvl escape
  except exec execute exists exit external fetch file fillfactor for foreign freetext freetexttable from full
  function goto grant group having holdlock identity identity_insert identitycol if in index inner insert
  intersect into is join key kill left like lineno load merge national nocheck nonclustered not null nullif of
  off offsets on open opendatasource openquery openrowset openxml option or order outer over percent pivot plan
  precision primary print proc procedure public raiserror read readtext reconfigure references replication
  restore restrict return revert revoke right rollback rowcount rowguidcol rule save schema securityaudit select
  session_user set setuser shutdown some statistics system_user table tablesample textsize then to top tran
  transaction trigger truncate try_convert tsequal union unique unpivot update updatetext use user values
  varying view waitfor when where while with writetext`.split(/\s+/),
);

/**
 * The SET options that are bits of @@OPTIONS
 * (https://learn.microsoft.com/sql/t-sql/functions/options-transact-sql).
 */
export const OPTION_FLAGS = new Map<string, number>([
  ['disable_def_cnst_chk', 1],
  ['implicit_transactions', 2],
  ['cursor_close_on_commit', 4],
  ['ansi_warnings', 8],
  ['ansi_padding', 16],
  ['ansi_nulls', 32],
  ['arithabort', 64],
  ['arithignore', 128],
  ['quoted_identifier', 256],
  ['nocount', 512],
  ['ansi_null_dflt_on', 1024],
  ['ansi_null_dflt_off', 2048],
  ['concat_null_yields_null', 4096],
  ['numeric_roundabort', 8192],
  ['xact_abort', 16384],
]);

/**
 * The ON/OFF SET options outside @@OPTIONS, all OFF in a new session; ON would change what statements do
 * (FMTONLY, NOEXEC and PARSEONLY do not run them, SHOWPLAN_* return plans instead, STATISTICS * add
 * results or messages, FORCEPLAN fixes join order, REMOTE_PROC_TRANSACTIONS promotes transactions): see
 * each option's page under https://learn.microsoft.com/sql/t-sql/statements/set-statements-transact-sql.
 */
export const SWITCHES = new Set([
  'fmtonly',
  'noexec',
  'parseonly',
  'forceplan',
  'showplan_all',
  'showplan_text',
  'showplan_xml',
  'statistics io',
  'statistics time',
  'statistics xml',
  'statistics profile',
  'remote_proc_transactions',
]);

const COMPARE: Record<string, CompareOp> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  '!<': '>=',
  '!>': '<=',
};

/** The type and value of a numeric literal, typed as SQL Server types it. */
export function numberLiteral(text: string): Typed {
  if (/[eE]/.test(text)) return { type: { name: 'float' }, value: Number(text) };
  if (!text.includes('.')) {
    const v = BigInt(text);
    if (v <= 2_147_483_647n) return { type: { name: 'int' }, value: Number(v) };
    const precision = text.replace(/^0+/, '').length;
    if (precision > 38) throw tooManyDigits(text);
    return { type: { name: 'numeric', precision, scale: 0 }, value: v };
  }
  const [int, frac] = text.split('.') as [string, string];
  const scale = frac.length;
  const precision = Math.max(int.replace(/^0+/, '').length + scale, 1);
  if (precision > 38) throw tooManyDigits(text);
  return {
    type: { name: 'numeric', precision, scale },
    value: BigInt((int + frac).replace(/^0+(?=\d)/, '') || '0'),
  };
}

const duplicateOption = (option: string): SqlError =>
  new SqlError(
    5091,
    `ALTER DATABASE change tracking option '${option}' was specified more than once. Each option can be specified only once.`,
    { class: 15 },
  );

const tooManyDigits = (text: string): SqlError =>
  new SqlError(
    1007,
    `The number '${text}' is out of the range for numeric representation (maximum precision 38).`,
    {
      class: 15,
    },
  );

export function parseBatch(source: string): Statement[] {
  return new Parser(source).batch();
}

/** A table name as written: `dbo.orders`, `[shop].[dbo].[order lines]`. */
export function parseObjectName(source: string): ObjectName {
  return new Parser(source).loneName();
}

/** A system type as written (`varchar(11)`), as sp_addtype takes it. */
export function parseDataType(source: string): SqlType {
  return new Parser(source).loneType();
}

/** One expression and nothing after it (a DEFAULT as stored in the catalog). */
export function parseExpression(source: string): Expr {
  return new Parser(source).lone();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  // ---- token helpers ----

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }

  private acceptWord(...words: string[]): boolean {
    if (words.some((w) => this.isWord(w))) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.fail();
  }

  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === op;
  }

  private acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.i++;
      return true;
    }
    return false;
  }

  private expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.fail();
  }

  /**
   * The error SQL Server reports for an unexpected token: 156 for a keyword, 102 otherwise, and 102 near
   * the last token when the text ended early.
   */
  private fail(token: Token = this.peek()): SqlError {
    const atEnd = token.kind === 'eof';
    const t = atEnd ? (this.tokens[this.tokens.length - 2] ?? token) : token;
    const raw = this.source.slice(t.pos, t.end);
    if (!atEnd && t.kind === 'word' && RESERVED.has(t.text.toLowerCase())) {
      return new SqlError(156, `Incorrect syntax near the keyword '${t.text}'.`, { class: 15 });
    }
    return new SqlError(102, `Incorrect syntax near '${raw}'.`, { class: 15 });
  }

  /** An identifier: a plain word that is not reserved, or a [bracketed]/"quoted" one. */
  private identifier(): string {
    const t = this.peek();
    if (t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.text.toLowerCase()))) {
      this.i++;
      return t.text;
    }
    throw this.fail();
  }

  /** A part after a dot, where SQL Server takes reserved words as names too (`c.precision`). */
  private namePart(): string {
    const t = this.peek();
    if (t.kind === 'quoted' || t.kind === 'word') {
      this.i++;
      return t.text;
    }
    throw this.fail();
  }

  private isIdentifier(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.text.toLowerCase()));
  }

  private objectName(): ObjectName {
    const start = this.peek().pos;
    const parts = [this.identifier()];
    while (this.isOp('.')) {
      this.i++;
      if (this.isOp('.')) {
        parts.push('');
        continue;
      }
      parts.push(this.namePart());
    }
    if (parts.length > 3) throw notSupported('four-part names (linked servers)');
    return { parts, text: this.source.slice(start, this.tokens[this.i - 1]!.end) };
  }

  // ---- statements ----

  loneName(): ObjectName {
    const name = this.objectName();
    if (this.peek().kind !== 'eof') throw this.fail();
    return name;
  }

  loneType(): SqlType {
    const type = this.dataType(false);
    if (this.peek().kind !== 'eof') throw this.fail();
    return type;
  }

  lone(): Expr {
    const e = this.expr();
    if (this.peek().kind !== 'eof') throw this.fail();
    return e;
  }

  batch(): Statement[] {
    const statements: Statement[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.acceptOp(';')) continue;
      statements.push(this.statement());
    }
    return statements;
  }

  private statement(): Statement {
    const startToken = this.peek();
    const body = this.statementBody();
    const end = this.tokens[this.i - 1]!.end;
    const text = this.source.slice(startToken.pos, end);
    const line = this.source.slice(0, startToken.pos).split('\n').length;
    this.acceptOp(';');
    return { ...body, text, line };
  }

  /**
   * DBCC USEROPTIONS [WITH NO_INFOMSGS], the one DBCC command the stand-in runs
   * (https://learn.microsoft.com/en-us/sql/t-sql/database-console-commands/dbcc-useroptions-transact-sql).
   */
  private dbcc(): StatementBody {
    this.next();
    const command = this.next();
    if (command.kind !== 'word') throw this.fail(command);
    if (command.text.toLowerCase() !== 'useroptions')
      throw notSupported(`DBCC ${command.text.toUpperCase()}`);
    let noInfoMessages = false;
    if (this.acceptWord('with')) {
      this.expectWord('no_infomsgs');
      noInfoMessages = true;
    }
    return { kind: 'dbccUserOptions', noInfoMessages };
  }

  private statementBody(): StatementBody {
    const t = this.peek();
    if (t.kind !== 'word') throw this.fail();
    switch (t.text.toLowerCase()) {
      case 'select':
        return this.select();
      case 'insert':
        return this.insert();
      case 'update':
        return this.update();
      case 'delete':
        return this.delete();
      case 'bulk':
        return this.bulkInsertFile();
      case 'truncate':
        this.next();
        this.expectWord('table');
        return { kind: 'truncate', table: this.objectName() };
      case 'create':
        return this.create();
      case 'drop':
        return this.drop();
      case 'use':
        this.next();
        return { kind: 'use', database: this.identifier() };
      case 'set':
        return this.set();
      case 'declare':
        return this.declare();
      case 'begin':
        this.next();
        if (this.isWord('try')) throw notSupported('TRY ... CATCH');
        if (this.acceptWord('tran', 'transaction')) {
          if (this.isIdentifier()) this.identifier();
          return { kind: 'transaction', action: 'begin' };
        }
        this.i--;
        return { kind: 'block', statements: this.blockOrStatement() };
      case 'commit':
      case 'rollback': {
        this.next();
        this.acceptWord('tran', 'transaction', 'work');
        if (this.isIdentifier()) this.identifier();
        return { kind: 'transaction', action: t.text.toLowerCase() as 'commit' | 'rollback' };
      }
      case 'print':
        this.next();
        return { kind: 'print', expr: this.expr() };
      case 'raiserror':
        return this.raiserror();
      case 'throw':
        throw notSupported('THROW');
      case 'if':
        return this.ifStatement();
      case 'with':
        throw notSupported('common table expressions (WITH)');
      case 'exec':
      case 'execute':
        return this.exec();
      case 'return': {
        this.next();
        const end = this.peek();
        const bare = end.kind === 'eof' || (end.kind === 'op' && end.text === ';') || this.isStatementStart();
        return { kind: 'return', expr: bare ? undefined : this.expr() };
      }
      case 'waitfor':
        this.next();
        if (!this.acceptWord('delay')) throw notSupported('WAITFOR other than WAITFOR DELAY');
        return { kind: 'waitfor', delay: this.expr() };
      case 'save':
        throw notSupported('savepoints (SAVE TRANSACTION)');
      case 'alter':
        return this.alter();
      case 'merge':
        throw notSupported('MERGE');
      case 'grant':
      case 'revoke':
        return this.grant();
      case 'deny':
        throw notSupported('DENY');
      case 'checkpoint':
        // https://learn.microsoft.com/sql/t-sql/language-elements/checkpoint-transact-sql: CHECKPOINT [ checkpoint_duration ]
        this.next();
        if (this.peek().kind === 'number') this.next();
        return { kind: 'checkpoint' };
      case 'dbcc':
        return this.dbcc();
    }
    // A batch may start with a procedure name and no EXEC: SQL Server reads an unknown word that way.
    if (!RESERVED.has(t.text.toLowerCase())) {
      const after = this.peek(1);
      if (after.kind === 'eof' || (after.kind === 'op' && after.text === ';')) {
        if (isSystemProcedure(t.text)) throw notSupported(`the system procedure ${t.text}`);
        throw new SqlError(2812, `Could not find stored procedure '${t.text}'.`);
      }
      throw this.fail(after);
    }
    throw this.fail();
  }

  /**
   * RAISERROR (message, severity, state [, argument ...]) [WITH LOG | NOWAIT | SETERROR, ...]. The options
   * change nothing here: the stand-in has no error log, sends messages as they come and has no @@ERROR.
   */
  private raiserror(): StatementBody {
    this.next();
    this.expectOp('(');
    const values = [this.expr()];
    while (this.acceptOp(',')) values.push(this.expr());
    this.expectOp(')');
    if (values.length < 3) throw this.fail(this.peek(-1));
    if (this.acceptWord('with')) {
      do if (!this.acceptWord('log', 'nowait', 'seterror')) throw this.fail();
      while (this.acceptOp(','));
    }
    const [message, severity, state, ...args] = values;
    return { kind: 'raiserror', message: message!, severity: severity!, state: state!, args };
  }

  private blockOrStatement(): Statement[] {
    if (this.isWord('begin') && !this.isWord('tran', 1) && !this.isWord('transaction', 1)) {
      this.next();
      const statements: Statement[] = [];
      while (!this.isWord('end')) {
        if (this.peek().kind === 'eof') throw this.fail();
        if (this.acceptOp(';')) continue;
        statements.push(this.statement());
      }
      this.next();
      return statements;
    }
    return [this.statement()];
  }

  /** Words that begin a statement: a bare RETURN followed by one of them returns no value. */
  private isStatementStart(): boolean {
    return this.isStatementStartAt(0);
  }

  private isStatementStartAt(k: number): boolean {
    const t = this.peek(k);
    return (
      t.kind === 'word' &&
      /^(select|insert|update|delete|set|declare|if|else|begin|end|exec|execute|return|print|commit|rollback|create|drop|truncate|waitfor)$/i.test(
        t.text,
      )
    );
  }

  private exec(): StatementBody {
    this.next();
    if (this.peek().kind === 'variable') throw notSupported('EXEC @status = procedure');
    if (this.isOp('(')) {
      this.next();
      const expr = this.expr();
      this.expectOp(')');
      if (this.isWord('at') || this.isWord('as')) throw notSupported('EXEC (string) AT/AS');
      return { kind: 'execString', expr };
    }
    const name = this.objectName();
    const args: ExecArgument[] = [];
    const end = (): boolean => {
      const t = this.peek();
      return t.kind === 'eof' || (t.kind === 'op' && t.text === ';') || this.isStatementStart();
    };
    if (!end()) {
      do {
        let argName: string | undefined;
        if (this.peek().kind === 'variable' && this.peek(1).kind === 'op' && this.peek(1).text === '=') {
          argName = this.next().text;
          this.next();
        }
        const expr = this.isWord('default') ? notSupportedArg() : this.execValue();
        const output = this.acceptWord('output', 'out');
        args.push({ name: argName, expr, output });
      } while (this.acceptOp(','));
    }
    return { kind: 'exec', name, args };
  }

  /**
   * An EXEC argument: an expression, or a bare name, which SQL Server takes as a character string, as
   * https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-addtype-transact-sql
   * shows (`EXEC sp_addtype ssn, 'VARCHAR(11)', 'NOT NULL'`).
   */
  private execValue(): Expr {
    const t = this.peek();
    const after = this.peek(1);
    const ends =
      after.kind === 'eof' ||
      (after.kind === 'op' && (after.text === ',' || after.text === ';')) ||
      (after.kind === 'word' && /^(output|out)$/i.test(after.text)) ||
      (after.kind === 'word' && this.isStatementStartAt(1));
    if ((t.kind === 'word' || t.kind === 'quoted') && ends && this.isIdentifier()) {
      this.next();
      return { kind: 'literal', value: { type: { name: 'nvarchar', length: 4000 }, value: t.text } };
    }
    return this.expr();
  }

  private ifStatement(): StatementBody {
    this.next();
    const condition = this.expr();
    const then = this.blockOrStatement();
    this.acceptOp(';');
    const otherwise = this.acceptWord('else') ? this.blockOrStatement() : undefined;
    return { kind: 'if', condition, then, otherwise };
  }

  /** ALTER DATABASE name SET ALLOW_SNAPSHOT_ISOLATION ON | OFF: the only ALTER the stand-in runs. */
  private alter(): StatementBody {
    this.next();
    if (this.acceptXmlSchemaCollection()) {
      const name = this.objectName();
      this.expectWord('add');
      return { kind: 'alterXmlSchemaCollection', name, xsd: this.expr() };
    }
    if (this.acceptWord('database')) {
      const database = this.acceptWord('current') ? null : this.identifier();
      if (this.acceptWord('set')) {
        const option =
          database !== null && this.acceptWord('allow_snapshot_isolation')
            ? { kind: 'alterDatabaseSnapshot' as const, database, on: this.onOff() }
            : this.acceptWord('change_tracking')
              ? this.changeTrackingOption(database)
              : this.acceptWord('recovery')
                ? this.recoveryOption(database)
                : undefined;
        // SET takes a comma-separated list of options
        // (https://learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-set-options), as
        // AdventureWorks' script sends; the stand-in runs one at a time and says so, not "syntax".
        if (option && this.isOp(',')) throw notSupported('ALTER DATABASE ... SET with several options');
        if (option) return option;
      }
      throw notSupported(
        'ALTER DATABASE other than SET ALLOW_SNAPSHOT_ISOLATION ON | OFF, SET CHANGE_TRACKING and SET RECOVERY',
      );
    }
    if (this.acceptWord('role')) {
      const role = this.identifier();
      this.expectWord('add');
      this.expectWord('member');
      return { kind: 'addRoleMember', role, member: this.identifier() };
    }
    if (this.acceptWord('table')) {
      // https://learn.microsoft.com/sql/relational-databases/security/dynamic-data-masking: ALTER COLUMN c ADD MASKED WITH (...) | DROP MASKED
      const table = this.objectName();
      const constraints = this.alterTableConstraints(table);
      if (constraints) return constraints;
      const enable = this.isWord('enable');
      if (enable || this.isWord('disable')) {
        this.next();
        this.expectWord('change_tracking');
        let trackColumnsUpdated = false;
        if (enable && this.acceptWord('with')) {
          this.expectOp('(');
          this.expectWord('track_columns_updated');
          this.expectOp('=');
          trackColumnsUpdated = this.onOff();
          this.expectOp(')');
        }
        return { kind: 'alterTableChangeTracking', table, enable, trackColumnsUpdated };
      }
      this.expectWord('alter');
      this.expectWord('column');
      const column = this.identifier();
      if (this.acceptWord('drop')) {
        this.expectWord('masked');
        return { kind: 'alterColumnMask', table, column };
      }
      if (this.acceptWord('add')) return { kind: 'alterColumnMask', table, column, mask: this.maskedWith() };
      throw notSupported('ALTER TABLE ... ALTER COLUMN other than ADD MASKED WITH or DROP MASKED');
    }
    throw notSupported(
      'ALTER statements other than ALTER DATABASE ... SET ALLOW_SNAPSHOT_ISOLATION | CHANGE_TRACKING, ALTER ROLE ... ADD MEMBER and ALTER TABLE ... ENABLE | DISABLE CHANGE_TRACKING | ALTER COLUMN ... ADD|DROP MASKED',
    );
  }

  /**
   * SET RECOVERY FULL | BULK_LOGGED | SIMPLE [WITH NO_WAIT | ROLLBACK IMMEDIATE | ROLLBACK AFTER n [SECONDS]]
   * (https://learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-set-options): the
   * termination clause only says how to wait for other sessions, which the stand-in never does.
   */
  private recoveryOption(database: string | null): StatementBody {
    const word = this.next();
    const model = word.kind === 'word' ? word.text.toUpperCase() : '';
    if (model !== 'FULL' && model !== 'BULK_LOGGED' && model !== 'SIMPLE') throw this.fail(word);
    if (this.acceptWord('with')) {
      if (this.acceptWord('rollback')) {
        if (this.acceptWord('after')) {
          this.signedInteger();
          this.acceptWord('seconds');
        } else this.expectWord('immediate');
      } else this.expectWord('no_wait');
    }
    return { kind: 'alterDatabaseRecovery', database, model };
  }

  /**
   * ALTER TABLE t [WITH CHECK | NOCHECK] ADD constraint [, ...] and ALTER TABLE t CHECK | NOCHECK CONSTRAINT
   * ALL | name [, ...] (https://learn.microsoft.com/sql/t-sql/statements/alter-table-transact-sql); undefined
   * for the other ALTER TABLE forms. New constraints are checked against existing rows unless WITH NOCHECK.
   */
  private alterTableConstraints(table: ObjectName): StatementBody | undefined {
    let check = true;
    if (this.isWord('with') && (this.isWord('check', 1) || this.isWord('nocheck', 1))) {
      this.next();
      check = this.next().text.toLowerCase() === 'check';
      if (!this.isWord('add')) throw this.fail();
    }
    if (this.acceptWord('add')) {
      const constraints: TableConstraint[] = [];
      do {
        if (!['constraint', 'primary', 'unique', 'foreign', 'check', 'default'].some((w) => this.isWord(w)))
          throw notSupported('ALTER TABLE ... ADD of columns');
        constraints.push(this.tableConstraint(true));
      } while (this.acceptOp(','));
      return { kind: 'alterTableAdd', table, constraints, check };
    }
    if ((this.isWord('check') || this.isWord('nocheck')) && this.isWord('constraint', 1)) {
      const enable = this.next().text.toLowerCase() === 'check';
      this.next();
      if (this.acceptWord('all')) return { kind: 'alterTableCheck', table, enable, names: 'all' };
      const names = [this.identifier()];
      while (this.acceptOp(',')) names.push(this.identifier());
      return { kind: 'alterTableCheck', table, enable, names };
    }
    return undefined;
  }

  /**
   * After SET CHANGE_TRACKING: `= OFF`, `= ON [(options)]` or `(options)`, the options being
   * CHANGE_RETENTION = n DAYS|HOURS|MINUTES and AUTO_CLEANUP = ON|OFF
   * (https://learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-set-options).
   */
  private changeTrackingOption(database: string | null): StatementBody {
    const statement: Extract<StatementBody, { kind: 'alterDatabaseChangeTracking' }> = {
      kind: 'alterDatabaseChangeTracking',
      database,
    };
    if (this.acceptOp('=')) statement.on = this.onOff();
    if (statement.on === false || !this.acceptOp('(')) {
      if (statement.on === undefined) throw this.fail();
      return statement;
    }
    do {
      if (this.acceptWord('auto_cleanup')) {
        if (statement.autoCleanup !== undefined) throw duplicateOption('AUTO_CLEANUP');
        this.expectOp('=');
        statement.autoCleanup = this.onOff();
      } else if (this.acceptWord('change_retention')) {
        if (statement.retention) throw duplicateOption('CHANGE_RETENTION');
        this.expectOp('=');
        const value = Number(this.signedInteger());
        const units = this.next().text.toUpperCase();
        if (units !== 'DAYS' && units !== 'HOURS' && units !== 'MINUTES')
          throw this.fail(this.tokens[this.i - 1]);
        statement.retention = { value, units };
      } else throw this.fail();
    } while (this.acceptOp(','));
    this.expectOp(')');
    return statement;
  }

  /** `XML SCHEMA COLLECTION` after CREATE, ALTER or DROP. */
  private acceptXmlSchemaCollection(): boolean {
    if (!this.isWord('xml') || !this.isWord('schema', 1) || !this.isWord('collection', 2)) return false;
    this.i += 3;
    return true;
  }

  /** MASKED WITH (FUNCTION = 'text'): the function's text. */
  private maskedWith(): string {
    this.expectWord('masked');
    this.expectWord('with');
    this.expectOp('(');
    this.expectWord('function');
    this.expectOp('=');
    const fn = this.stringLiteral();
    this.expectOp(')');
    return fn;
  }

  private stringLiteral(): string {
    const t = this.next();
    if (t.kind !== 'string' && t.kind !== 'nstring') throw this.fail(t);
    return t.text;
  }

  /** GRANT | REVOKE permission [, ...] TO | FROM principal: database permissions only. */
  private grant(): StatementBody {
    const revoke = this.next().text.toLowerCase() === 'revoke';
    const permissions: string[] = [];
    do {
      const words: string[] = [];
      while (this.peek().kind === 'word' && !this.isWord('to') && !this.isWord('from') && !this.isWord('on'))
        words.push(this.next().text.toUpperCase());
      if (words.length === 0) throw this.fail();
      permissions.push(words.join(' '));
    } while (this.acceptOp(','));
    if (this.isWord('on')) throw notSupported('GRANT or REVOKE on a securable other than the database');
    if (!this.acceptWord(revoke ? 'from' : 'to') && !this.acceptWord('to')) throw this.fail();
    const principal = this.identifier();
    if (this.acceptOp(',')) throw notSupported('GRANT or REVOKE to several principals');
    return { kind: 'grant', permissions, principal, revoke };
  }

  /**
   * CREATE SECURITY POLICY name ADD FILTER PREDICATE fn(columns) ON table [, ...] [WITH (STATE = ON|OFF
   * [, SCHEMABINDING = ON|OFF])]
   * (https://learn.microsoft.com/sql/t-sql/statements/create-security-policy-transact-sql); block
   * predicates and NOT FOR REPLICATION are refused.
   */
  private createSecurityPolicy(): StatementBody {
    this.expectWord('policy');
    const name = this.objectName();
    const filters: { fn: ObjectName; columns: string[]; table: ObjectName }[] = [];
    do {
      this.expectWord('add');
      if (this.isWord('block')) throw notSupported('BLOCK predicates');
      this.expectWord('filter');
      this.expectWord('predicate');
      const fn = this.objectName();
      const columns = this.columnList();
      this.expectWord('on');
      filters.push({ fn, columns, table: this.objectName() });
    } while (this.acceptOp(','));
    let enabled = false; // STATE is OFF unless given (same page)
    let schemaBinding = true;
    if (this.acceptWord('with')) {
      this.expectOp('(');
      do {
        if (this.acceptWord('state')) {
          this.expectOp('=');
          enabled = this.onOff();
        } else if (this.acceptWord('schemabinding')) {
          this.expectOp('=');
          schemaBinding = this.onOff();
        } else throw this.fail();
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    if (this.isWord('not')) throw notSupported('NOT FOR REPLICATION');
    return { kind: 'createSecurityPolicy', name, filters, enabled, schemaBinding };
  }

  private set(): StatementBody {
    this.next();
    const t = this.peek();
    if (t.kind === 'variable') {
      this.next();
      this.expectOp('=');
      return { kind: 'setVariable', name: t.text, expr: this.expr() };
    }
    if (this.acceptWord('identity_insert')) {
      const table = this.objectName();
      const on = this.onOff();
      return { kind: 'setIdentityInsert', table, on };
    }
    if (this.isWord('transaction') && this.isWord('isolation', 1)) {
      this.next();
      this.next();
      this.expectWord('level');
      const word = () => {
        const w = this.next();
        if (w.kind !== 'word') throw this.fail(w);
        return w.text.toLowerCase();
      };
      const words = [word()];
      if (words[0] === 'read' || words[0] === 'repeatable') words.push(word());
      const level = ISOLATION_LEVELS.find((l) => l === words.join(' '));
      if (!level) throw this.fail(this.tokens[this.i - 1]);
      return { kind: 'setIsolation', level };
    }
    const option = this.peek().kind === 'word' ? this.peek().text.toLowerCase() : '';
    if (
      OPTION_FLAGS.has(option) ||
      option === 'ansi_defaults' ||
      SWITCHES.has(option) ||
      option === 'statistics'
    ) {
      const names = [this.switchName()];
      while (this.acceptOp(',')) names.push(this.switchName(names[names.length - 1]));
      return { kind: 'setFlags', names, on: this.onOff() };
    }
    if (['textsize', 'datefirst', 'rowcount', 'lock_timeout', 'query_governor_cost_limit'].includes(option)) {
      this.next();
      return { kind: 'setSessionOption', option, value: this.expr() };
    }
    if (['language', 'dateformat', 'deadlock_priority', 'fips_flagger'].includes(option)) {
      this.next();
      const t = this.peek();
      if (option === 'deadlock_priority' && t.kind !== 'word')
        return { kind: 'setSessionOption', option, value: this.expr() };
      this.next();
      if (!['word', 'quoted', 'string', 'nstring'].includes(t.kind)) throw this.fail(t);
      return { kind: 'setSessionOption', option, value: t.text };
    }
    // https://learn.microsoft.com/sql/t-sql/statements/set-context-info-transact-sql and set-offsets-transact-sql:
    // CONTEXT_INFO() and DB-Library's offsets do not exist here.
    if (option === 'context_info' || option === 'offsets') throw notSupported(`SET ${option.toUpperCase()}`);
    throw new SqlError(195, `'${this.peek().text}' is not a recognized SET option.`, { class: 15 });
  }

  /**
   * An ON/OFF option's name. STATISTICS takes a second word (SET STATISTICS IO ON), which alone continues
   * a list after one (SET STATISTICS IO, TIME ON).
   */
  private switchName(previous = ''): string {
    const word = (): string => {
      const t = this.next();
      if (t.kind !== 'word') throw this.fail(t);
      return t.text.toLowerCase();
    };
    const name = word();
    const full =
      name === 'statistics'
        ? `statistics ${word()}`
        : previous.startsWith('statistics ') && SWITCHES.has(`statistics ${name}`)
          ? `statistics ${name}`
          : name;
    if (!OPTION_FLAGS.has(full) && full !== 'ansi_defaults' && !SWITCHES.has(full))
      throw new SqlError(195, `'${full.toUpperCase()}' is not a recognized SET option.`, { class: 15 });
    return full;
  }

  private onOff(): boolean {
    if (this.acceptWord('on')) return true;
    if (this.acceptWord('off')) return false;
    throw this.fail();
  }

  private declare(): StatementBody {
    this.next();
    const variables: { name: string; type: SqlType; initial?: Expr }[] = [];
    do {
      const t = this.next();
      if (t.kind !== 'variable') throw this.fail(t);
      this.acceptWord('as');
      const type = this.dataType(false);
      const initial = this.acceptOp('=') ? this.expr() : undefined;
      variables.push({ name: t.text, type, initial });
    } while (this.acceptOp(','));
    return { kind: 'declare', variables };
  }

  private insert(): StatementBody {
    this.next();
    // INSERT BULK starts a bulk load (what tedious' BulkLoad sends before its BULK_LOAD packets).
    if (this.acceptWord('bulk')) return this.insertBulk();
    this.acceptWord('into');
    const table = this.objectName();
    let columns: string[] | undefined;
    if (this.acceptOp('(')) {
      columns = [];
      do columns.push(this.identifier());
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    if (this.acceptWord('default')) {
      this.expectWord('values');
      return { kind: 'insert', table, columns, rows: 'default' };
    }
    if (this.isWord('select')) return { kind: 'insert', table, columns, rows: this.select() };
    if (this.isWord('exec') || this.isWord('execute')) throw notSupported('INSERT ... EXECUTE');
    this.expectWord('values');
    const rows: Expr[][] = [];
    do {
      this.expectOp('(');
      const row: Expr[] = [];
      do row.push(this.isWord('default') ? this.defaultMarker() : this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
      rows.push(row);
    } while (this.acceptOp(','));
    if (rows.length > 1000) {
      throw new SqlError(
        10738,
        `The number of row value expressions in the INSERT statement exceeds the maximum allowed number of 1000 row values.`,
        { class: 15 },
      );
    }
    return { kind: 'insert', table, columns, rows };
  }

  /**
   * `INSERT BULK t ([c] type [COLLATE x], ...) [WITH (option, ...)]` (MS-TDS 2.2.6.1): the columns the
   * BULK_LOAD message that follows will carry, and the options. FIRE_TRIGGERS, TABLOCK and the batch sizes
   * change nothing here: the stand-in has no triggers or locks.
   */
  private insertBulk(): StatementBody {
    const table = this.objectName();
    const columns: { name: string; type: SqlType }[] = [];
    this.expectOp('(');
    do {
      const name = this.identifier();
      const type = this.dataType(false);
      if (this.acceptWord('collate')) this.collation();
      columns.push({ name, type });
    } while (this.acceptOp(','));
    this.expectOp(')');
    const options: BulkOptions = { keepNulls: false, keepIdentity: false, checkConstraints: false };
    if (this.acceptWord('with')) {
      this.expectOp('(');
      do {
        const option = this.next();
        switch (option.kind === 'word' ? option.text.toLowerCase() : '') {
          case 'keep_nulls':
            options.keepNulls = true;
            break;
          case 'keep_identity':
            options.keepIdentity = true;
            break;
          case 'check_constraints':
            options.checkConstraints = true;
            break;
          case 'fire_triggers':
          case 'tablock':
            break;
          case 'rows_per_batch':
          case 'kilobytes_per_batch':
            this.expectOp('=');
            if (this.peek().kind !== 'number') throw this.fail();
            this.next();
            break;
          case 'order':
            options.order = [];
            this.expectOp('(');
            do {
              const column = this.identifier();
              const descending = this.acceptWord('desc');
              if (!descending) this.acceptWord('asc');
              options.order.push({ column, descending });
            } while (this.acceptOp(','));
            this.expectOp(')');
            break;
          default:
            throw this.fail(option);
        }
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    return { kind: 'insertBulk', table, columns, options };
  }

  /**
   * `BULK INSERT t FROM 'file' [WITH (option, ...)]` for character data files. The defaults are the
   * documented ones: tab between fields, \\n after rows, 'char' data, CHECK_CONSTRAINTS and KEEPIDENTITY off.
   * TABLOCK and the batch sizes change nothing here: the stand-in has no locks and loads in one transaction.
   * https://learn.microsoft.com/sql/t-sql/statements/bulk-insert-transact-sql
   */
  private bulkInsertFile(): StatementBody {
    this.next();
    this.expectWord('insert');
    const table = this.objectName();
    this.expectWord('from');
    const file = this.stringLiteral();
    const options: DataFileOptions = {
      keepNulls: false,
      keepIdentity: false,
      checkConstraints: false,
      wide: false,
      fieldTerminator: '\\t',
      rowTerminator: '\\n',
      firstRow: 1,
    };
    if (this.acceptWord('with')) {
      this.expectOp('(');
      do {
        const option = this.next();
        const name = option.kind === 'word' ? option.text.toLowerCase() : '';
        switch (name) {
          case 'check_constraints':
            options.checkConstraints = true;
            break;
          case 'keepidentity':
            options.keepIdentity = true;
            break;
          case 'keepnulls':
            options.keepNulls = true;
            break;
          case 'tablock':
            break;
          case 'codepage':
            this.expectOp('=');
            options.codepage = this.stringLiteral().toUpperCase();
            break;
          case 'datafiletype': {
            this.expectOp('=');
            const type = this.stringLiteral().toLowerCase();
            if (type !== 'char' && type !== 'widechar') throw notSupported(`DATAFILETYPE = '${type}'`);
            options.wide = type === 'widechar';
            break;
          }
          case 'fieldterminator':
            this.expectOp('=');
            options.fieldTerminator = this.stringLiteral();
            break;
          case 'rowterminator':
            this.expectOp('=');
            options.rowTerminator = this.stringLiteral();
            break;
          case 'firstrow': {
            this.expectOp('=');
            const n = this.next();
            if (n.kind !== 'number') throw this.fail(n);
            options.firstRow = Number(n.text);
            break;
          }
          default:
            if (option.kind === 'word')
              throw notSupported(`the BULK INSERT option ${option.text.toUpperCase()}`);
            throw this.fail(option);
        }
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    return { kind: 'bulkInsertFile', table, file, options };
  }

  /** DEFAULT in a VALUES list, represented as a call the binder recognises. */
  private defaultMarker(): Expr {
    this.next();
    return { kind: 'call', name: 'default', args: [] };
  }

  private update(): StatementBody {
    this.next();
    if (this.acceptWord('statistics')) return this.updateStatistics();
    if (this.isWord('top')) throw notSupported('UPDATE TOP');
    const table = this.objectName();
    this.expectWord('set');
    const sets: { column: string; expr: Expr }[] = [];
    do {
      const parts = [this.identifier()];
      while (this.acceptOp('.')) parts.push(this.identifier());
      this.expectOp('=');
      sets.push({
        column: parts[parts.length - 1]!,
        expr: this.isWord('default') ? this.defaultMarker() : this.expr(),
      });
    } while (this.acceptOp(','));
    if (this.isWord('from')) throw notSupported('UPDATE ... FROM');
    const where = this.acceptWord('where') ? this.expr() : undefined;
    return { kind: 'update', table, sets, where };
  }

  /**
   * UPDATE STATISTICS table [index | (index, ...)] [WITH options]
   * (https://learn.microsoft.com/sql/t-sql/statements/update-statistics-transact-sql).
   */
  private updateStatistics(): StatementBody {
    const table = this.objectName();
    if (this.acceptOp('(')) {
      do this.identifier();
      while (this.acceptOp(','));
      this.expectOp(')');
    } else if (this.isIdentifier()) this.identifier();
    if (this.acceptWord('with')) {
      do {
        const option = this.next();
        if (option.kind !== 'word') throw this.fail(option);
        if (this.acceptOp('=')) this.next();
        else if (this.peek().kind === 'number') {
          this.next();
          this.acceptWord('percent', 'rows');
        }
      } while (this.acceptOp(','));
    }
    return { kind: 'updateStatistics', table };
  }

  private delete(): StatementBody {
    this.next();
    if (this.isWord('top')) throw notSupported('DELETE TOP');
    this.acceptWord('from');
    const table = this.objectName();
    if (this.isWord('from')) throw notSupported('DELETE ... FROM');
    const where = this.acceptWord('where') ? this.expr() : undefined;
    return { kind: 'delete', table, where };
  }

  private create(): StatementBody {
    this.next();
    if (this.acceptWord('table')) return this.createTable();
    if (this.acceptWord('schema')) {
      const name = this.identifier();
      if (this.acceptWord('authorization')) this.identifier();
      return { kind: 'createSchema', name };
    }
    if (this.acceptWord('database')) return { kind: 'createDatabase', name: this.identifier() };
    if (this.acceptXmlSchemaCollection()) {
      const name = this.objectName();
      this.expectWord('as');
      return { kind: 'createXmlSchemaCollection', name, xsd: this.expr() };
    }
    if (this.acceptWord('login')) {
      const name = this.identifier();
      this.expectWord('with');
      this.expectWord('password');
      this.expectOp('=');
      const password = this.stringLiteral();
      if (this.acceptOp(',')) throw notSupported('CREATE LOGIN options other than PASSWORD');
      return { kind: 'createLogin', name, password };
    }
    if (this.acceptWord('user')) {
      const name = this.identifier();
      // CREATE USER [name] FROM EXTERNAL PROVIDER: a Microsoft Entra principal
      // (https://learn.microsoft.com/en-us/sql/t-sql/statements/create-user-transact-sql).
      if (this.isWord('from') && this.isWord('external', 1)) {
        this.i += 2;
        this.expectWord('provider');
        if (this.isWord('with')) throw notSupported('CREATE USER FROM EXTERNAL PROVIDER options');
        return { kind: 'createExternalUser', name };
      }
      if (!this.acceptWord('for') && !this.acceptWord('from'))
        throw notSupported('CREATE USER other than FOR LOGIN or FROM EXTERNAL PROVIDER');
      this.expectWord('login');
      const login = this.identifier();
      if (this.isWord('with')) throw notSupported('CREATE USER options');
      return { kind: 'createUser', name, login };
    }
    if (this.acceptWord('security')) return this.createSecurityPolicy();
    if (this.acceptWord('type')) return this.createType();
    if (this.isWord('function')) {
      throw new SqlError(111, "'CREATE FUNCTION' must be the first statement in a query batch.", {
        class: 15,
      });
    }
    if (this.isWord('proc') || this.isWord('procedure')) {
      throw new SqlError(111, "'CREATE/ALTER PROCEDURE' must be the first statement in a query batch.", {
        class: 15,
      });
    }
    if (
      this.isWord('unique') ||
      this.isWord('clustered') ||
      this.isWord('nonclustered') ||
      this.isWord('index')
    ) {
      return this.createIndex();
    }
    throw notSupported(`CREATE ${this.peek().text.toUpperCase()}`);
  }

  /**
   * CREATE TYPE name FROM base_type [NULL | NOT NULL]: an alias type
   * (https://learn.microsoft.com/sql/t-sql/statements/create-type-transact-sql); table types and CLR
   * types are refused.
   */
  private createType(): StatementBody {
    const name = this.objectName();
    if (!this.acceptWord('from')) throw notSupported('CREATE TYPE other than an alias type (FROM base_type)');
    const base = this.dataType(false);
    let nullable: boolean | undefined;
    if (this.acceptWord('null')) nullable = true;
    else if (this.isWord('not') && this.isWord('null', 1)) {
      this.i += 2;
      nullable = false;
    }
    return { kind: 'createType', name, base, nullable };
  }

  /** CREATE [UNIQUE] [NONCLUSTERED] INDEX name ON table (columns) [INCLUDE (columns)] [WITH (options)] */
  private createIndex(): StatementBody {
    const unique = this.acceptWord('unique');
    const clustered = this.acceptWord('clustered');
    if (!clustered) this.acceptWord('nonclustered');
    this.expectWord('index');
    const name = this.identifier();
    this.expectWord('on');
    const table = this.objectName();
    this.expectOp('(');
    const columns: string[] = [];
    do {
      columns.push(this.identifier());
      this.acceptWord('asc', 'desc');
    } while (this.acceptOp(','));
    this.expectOp(')');
    if (this.acceptWord('include')) this.columnList();
    if (this.isWord('where')) throw notSupported('filtered indexes');
    this.skipOptions();
    return { kind: 'createIndex', name, table, columns, unique, clustered };
  }

  /** WITH (...) storage options and ON filegroup: they change nothing a client can see. */
  private skipOptions(): void {
    if (this.acceptWord('with')) {
      this.expectOp('(');
      for (let depth = 1; depth > 0;) {
        const t = this.next();
        if (t.kind === 'eof') throw this.fail(t);
        if (t.kind === 'op' && t.text === '(') depth++;
        if (t.kind === 'op' && t.text === ')') depth--;
      }
    }
    if (this.acceptWord('on')) this.identifier();
  }

  private drop(): StatementBody {
    this.next();
    if (this.isWord('index')) {
      this.next();
      const ifExists = this.isWord('if') && this.isWord('exists', 1) ? (this.i += 2) > 0 : false;
      const first = this.objectName();
      // DROP INDEX name ON table, or the old form DROP INDEX table.name
      if (this.acceptWord('on'))
        return {
          kind: 'dropIndex',
          name: first.parts[first.parts.length - 1]!,
          table: this.objectName(),
          ifExists,
        };
      if (first.parts.length < 2) throw this.fail();
      const table = {
        parts: first.parts.slice(0, -1),
        text: first.text.slice(0, first.text.lastIndexOf('.')),
      };
      return { kind: 'dropIndex', name: first.parts[first.parts.length - 1]!, table, ifExists };
    }
    if (this.acceptXmlSchemaCollection()) return { kind: 'dropXmlSchemaCollection', name: this.objectName() };
    if (this.acceptWord('security')) {
      this.expectWord('policy');
      const ifExists = this.isWord('if') && this.isWord('exists', 1) ? (this.i += 2) > 0 : false;
      return { kind: 'dropSecurityPolicy', name: this.objectName(), ifExists };
    }
    const kind = this.next();
    const ifExists = this.isWord('if') && this.isWord('exists', 1) ? (this.i += 2) > 0 : false;
    switch (kind.text.toLowerCase()) {
      case 'table': {
        const names = [this.objectName()];
        while (this.acceptOp(',')) names.push(this.objectName());
        return { kind: 'dropTable', names, ifExists };
      }
      case 'schema':
        return { kind: 'dropSchema', name: this.identifier(), ifExists };
      case 'proc':
      case 'procedure': {
        const names = [this.objectName()];
        while (this.acceptOp(',')) names.push(this.objectName());
        return { kind: 'dropProcedure', names, ifExists };
      }
      case 'database':
        return { kind: 'dropDatabase', name: this.identifier(), ifExists };
      case 'view':
      case 'trigger':
      case 'function': {
        const names = [this.objectName()];
        while (this.acceptOp(',')) names.push(this.objectName());
        const objectType = kind.text.toUpperCase() as 'VIEW' | 'TRIGGER' | 'FUNCTION';
        return { kind: 'dropObject', objectType, names, ifExists };
      }
    }
    throw notSupported(`DROP ${kind.text.toUpperCase()}`);
  }

  private createTable(): StatementBody {
    const name = this.objectName();
    this.expectOp('(');
    const columns: (ColumnDefinition | ComputedColumnDefinition)[] = [];
    const constraints: TableConstraint[] = [];
    const options: TableOptions = {};
    do {
      // A comma before the closing parenthesis is accepted, as Microsoft's own AdventureWorks script
      // (instawdb.sql) writes its CREATE TABLEs.
      if (this.isOp(')') && columns.length > 0) break;
      if (this.acceptWord('period')) {
        // PERIOD FOR SYSTEM_TIME (start, end): https://learn.microsoft.com/sql/t-sql/statements/create-table-transact-sql
        this.expectWord('for');
        this.expectWord('system_time');
        this.expectOp('(');
        const start = this.identifier();
        this.expectOp(',');
        const end = this.identifier();
        this.expectOp(')');
        options.period = { start, end };
      } else if (
        this.isWord('constraint') ||
        this.isWord('primary') ||
        this.isWord('unique') ||
        this.isWord('foreign') ||
        this.isWord('check')
      ) {
        constraints.push(this.tableConstraint(false));
      } else if (this.isWord('index')) {
        throw notSupported('INDEX in CREATE TABLE');
      } else columns.push(this.columnDefinition());
    } while (this.acceptOp(','));
    this.expectOp(')');
    if (this.acceptWord('on')) this.identifier();
    if (this.acceptWord('with')) this.tableOptions(options);
    return { kind: 'createTable', name, columns, constraints, options };
  }

  /**
   * WITH (MEMORY_OPTIMIZED = ON | OFF, DURABILITY = SCHEMA_AND_DATA, SYSTEM_VERSIONING = ON
   * (HISTORY_TABLE = name [, DATA_CONSISTENCY_CHECK = ON | OFF])): the options whose effect the stand-in
   * models (https://learn.microsoft.com/sql/t-sql/statements/create-table-transact-sql); others are refused.
   */
  private tableOptions(options: TableOptions): void {
    this.expectOp('(');
    do {
      if (this.acceptWord('memory_optimized')) {
        this.expectOp('=');
        options.memoryOptimized = this.onOff();
      } else if (this.acceptWord('durability')) {
        this.expectOp('=');
        // SCHEMA_ONLY loses the rows at a restart, which the stand-in does not model.
        if (!this.acceptWord('schema_and_data')) throw notSupported('DURABILITY other than SCHEMA_AND_DATA');
      } else if (this.acceptWord('system_versioning')) {
        this.expectOp('=');
        if (!this.onOff()) continue;
        // Without HISTORY_TABLE SQL Server makes one itself, named and shaped as the stand-in does not model.
        if (!this.acceptOp('(')) throw notSupported('SYSTEM_VERSIONING = ON without HISTORY_TABLE');
        do {
          if (this.acceptWord('history_table')) {
            this.expectOp('=');
            options.historyTable = this.objectName();
          } else if (this.acceptWord('data_consistency_check')) {
            this.expectOp('=');
            this.onOff();
          } else throw notSupported(`SYSTEM_VERSIONING option ${this.peek().text.toUpperCase()}`);
        } while (this.acceptOp(','));
        this.expectOp(')');
        if (!options.historyTable) throw notSupported('SYSTEM_VERSIONING = ON without HISTORY_TABLE');
      } else throw notSupported(`table option ${this.peek().text.toUpperCase()}`);
    } while (this.acceptOp(','));
    this.expectOp(')');
  }

  /**
   * ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = key, ENCRYPTION_TYPE = DETERMINISTIC | RANDOMIZED,
   * ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256'), in any order.
   */
  private encryptedWith(): ColumnEncryption {
    this.expectWord('with');
    this.expectOp('(');
    const parts: Partial<ColumnEncryption> = {};
    do {
      if (this.acceptWord('column_encryption_key')) {
        this.expectOp('=');
        parts.key = this.identifier();
      } else if (this.acceptWord('encryption_type')) {
        this.expectOp('=');
        const type = this.next().text.toUpperCase();
        if (type !== 'DETERMINISTIC' && type !== 'RANDOMIZED') throw this.fail(this.tokens[this.i - 1]);
        parts.type = type;
      } else if (this.acceptWord('algorithm')) {
        this.expectOp('=');
        parts.algorithm = this.stringLiteral();
      } else throw this.fail();
    } while (this.acceptOp(','));
    this.expectOp(')');
    if (!parts.key || !parts.type || !parts.algorithm) throw this.fail(this.tokens[this.i - 1]);
    return parts as ColumnEncryption;
  }

  private columnList(): string[] {
    this.expectOp('(');
    const columns: string[] = [];
    do {
      columns.push(this.identifier());
      if (this.acceptWord('desc')) throw notSupported('descending key columns');
      this.acceptWord('asc');
    } while (this.acceptOp(','));
    this.expectOp(')');
    return columns;
  }

  /**
   * CLUSTERED/NONCLUSTERED change storage, not results; true when NONCLUSTERED was written. The options and
   * filegroup after a key's columns (WITH (FILLFACTOR = n), ON [PRIMARY]) change storage too.
   */
  private clusteredHint(): boolean {
    if (this.acceptWord('nonclustered')) return true;
    this.acceptWord('clustered');
    return false;
  }

  private keyColumns(): string[] {
    const columns = this.columnList();
    this.skipOptions();
    return columns;
  }

  /** A table constraint of CREATE TABLE, or of ALTER TABLE ... ADD (`alter`: DEFAULT ... FOR c allowed). */
  private tableConstraint(alter: boolean): TableConstraint {
    const name = this.acceptWord('constraint') ? this.identifier() : undefined;
    if (this.acceptWord('primary')) {
      this.expectWord('key');
      const nonclustered = this.clusteredHint();
      return { kind: 'primaryKey', name, columns: this.keyColumns(), nonclustered };
    }
    if (this.acceptWord('unique')) {
      const nonclustered = this.clusteredHint();
      return { kind: 'unique', name, columns: this.keyColumns(), nonclustered };
    }
    if (this.acceptWord('foreign')) {
      this.expectWord('key');
      const columns = this.columnList();
      this.expectWord('references');
      const table = this.objectName();
      const refColumns = this.isOp('(') ? this.columnList() : [];
      this.referentialActions();
      return { kind: 'foreignKey', name, columns, references: { table, columns: refColumns } };
    }
    if (this.isWord('check')) return { kind: 'check', name, columns: [], check: this.checkClause(name) };
    if (alter && this.acceptWord('default')) {
      const start = this.peek().pos;
      const expr = this.primaryOrParenthesized();
      const text = this.source.slice(start, this.tokens[this.i - 1]!.end);
      this.expectWord('for');
      const column = this.identifier();
      if (this.isWord('with')) throw notSupported('DEFAULT ... WITH VALUES');
      return { kind: 'default', name, columns: [column], default: { expr, text } };
    }
    throw this.fail();
  }

  /**
   * CHECK [NOT FOR REPLICATION] (expression)
   * (https://learn.microsoft.com/sql/t-sql/statements/create-table-transact-sql#check): NOT FOR
   * REPLICATION only exempts replication agents, which the stand-in has none of.
   */
  private checkClause(name: string | undefined): CheckDefinition {
    this.expectWord('check');
    this.notForReplication();
    this.expectOp('(');
    const start = this.peek().pos;
    const expr = this.expr();
    const text = this.source.slice(start, this.tokens[this.i - 1]!.end);
    this.expectOp(')');
    return { name, expr, text };
  }

  /** NOT FOR REPLICATION: changes what replication agents do, and the stand-in has none. */
  private notForReplication(): void {
    if (this.isWord('not') && this.isWord('for', 1)) {
      this.i += 2;
      this.expectWord('replication');
    }
  }

  private referentialActions(): void {
    while (this.acceptWord('on')) {
      if (!this.acceptWord('delete') && !this.acceptWord('update')) throw this.fail();
      if (this.acceptWord('no')) this.expectWord('action');
      else if (this.acceptWord('set')) {
        if (!this.acceptWord('null') && !this.acceptWord('default')) throw this.fail();
      } else if (!this.acceptWord('cascade')) throw this.fail();
    }
    this.notForReplication();
  }

  /** The name after COLLATE: only the server collation, which the stand-in models. */
  private collation(): void {
    const collation = this.identifier();
    if (collation.toUpperCase() !== 'SQL_LATIN1_GENERAL_CP1_CI_AS')
      throw notSupported(`collations other than SQL_Latin1_General_CP1_CI_AS (${collation})`);
  }

  private columnDefinition(): ColumnDefinition | ComputedColumnDefinition {
    const name = this.identifier();
    if (this.acceptWord('as')) return this.computedColumn(name);
    const column: ColumnDefinition = { name, type: this.columnType() };
    for (;;) {
      if (this.acceptWord('collate')) {
        this.collation();
        continue;
      }
      if (this.acceptWord('null')) {
        column.nullable = true;
        continue;
      }
      if (this.isWord('not') && this.isWord('null', 1)) {
        this.i += 2;
        column.nullable = false;
        continue;
      }
      if (this.acceptWord('identity')) {
        let seed = 1n;
        let increment = 1n;
        if (this.acceptOp('(')) {
          seed = this.signedInteger();
          this.expectOp(',');
          increment = this.signedInteger();
          this.expectOp(')');
        }
        column.identity = { seed, increment };
        this.notForReplication();
        continue;
      }
      if (this.acceptWord('rowguidcol') || this.acceptWord('sparse')) continue;
      if (this.isWord('masked')) {
        column.mask = this.maskedWith();
        continue;
      }
      if (this.acceptWord('generated')) {
        this.expectWord('always');
        this.expectWord('as');
        this.expectWord('row');
        if (this.acceptWord('start')) column.generatedAlways = 'AS_ROW_START';
        else if (this.acceptWord('end')) column.generatedAlways = 'AS_ROW_END';
        else throw notSupported('GENERATED ALWAYS other than AS ROW START | END');
        continue;
      }
      if (this.acceptWord('hidden')) {
        column.hidden = true;
        continue;
      }
      if (this.acceptWord('encrypted')) {
        column.encryption = this.encryptedWith();
        continue;
      }
      const constraintName = this.acceptWord('constraint') ? this.identifier() : undefined;
      if (this.acceptWord('default')) {
        const start = this.peek().pos;
        const expr = this.primaryOrParenthesized();
        column.default = {
          expr,
          text: this.source.slice(start, this.tokens[this.i - 1]!.end),
          name: constraintName,
        };
        continue;
      }
      if (this.acceptWord('primary')) {
        this.expectWord('key');
        column.primaryKey = { name: constraintName, nonclustered: this.clusteredHint() };
        continue;
      }
      if (this.acceptWord('unique')) {
        this.clusteredHint();
        column.unique = { name: constraintName };
        continue;
      }
      if (this.acceptWord('foreign')) this.expectWord('key');
      if (this.acceptWord('references')) {
        const table = this.objectName();
        const columns = this.isOp('(') ? this.columnList() : [];
        this.referentialActions();
        column.references = { name: constraintName, table, columns };
        continue;
      }
      if (this.isWord('check')) {
        (column.checks ??= []).push(this.checkClause(constraintName));
        continue;
      }
      if (constraintName !== undefined) throw this.fail();
      return column;
    }
  }

  /** After `name AS`: the expression, PERSISTED [NOT NULL]; constraints on the column are refused. */
  private computedColumn(name: string): ComputedColumnDefinition {
    const start = this.peek().pos;
    const expr = this.additive();
    const text = this.source.slice(start, this.tokens[this.i - 1]!.end);
    const persisted = this.acceptWord('persisted');
    const notNull = persisted && this.isWord('not') && this.isWord('null', 1);
    if (notNull) this.i += 2;
    if (!this.isOp(',') && !this.isOp(')')) throw notSupported('constraints on computed columns');
    return { name, computed: { expr, text, persisted }, notNull };
  }

  private signedInteger(): bigint {
    const negative = this.acceptOp('-');
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw this.fail(t);
    return negative ? -BigInt(t.text) : BigInt(t.text);
  }

  /**
   * A column's type: a system type, or a name SQL Server does not know as one, which may be an alias type
   * of the database (`au_id id`, `[dbo].[Name]`): the catalog decides when the table is created.
   */
  private columnType(): SqlType | AliasTypeName | TypedXmlName {
    const start = this.i;
    const t = this.peek();
    // https://learn.microsoft.com/sql/t-sql/xml/xml-transact-sql: xml([CONTENT | DOCUMENT] collection).
    if ((t.kind === 'word' || t.kind === 'quoted') && t.text.toLowerCase() === 'xml' && this.isOp('(', 1)) {
      this.i += 2;
      const document = this.acceptWord('document');
      if (!document) this.acceptWord('content');
      const collection = this.objectName();
      this.expectOp(')');
      return { xmlCollection: collection, document };
    }
    if ((t.kind === 'word' || t.kind === 'quoted') && !this.isOp('(', 1)) {
      if (this.isOp('.', 1)) return { alias: this.objectName() };
      try {
        return this.dataType(false);
      } catch (e) {
        if (!(e instanceof SqlError) || e.number !== 2715) throw e;
        this.i = start;
        return { alias: this.objectName() };
      }
    }
    return this.dataType(false);
  }

  /** A type name with its arguments: `nvarchar(50)`, `decimal(38, 4)`, `varchar(max)`. */
  private dataType(inCast: boolean): SqlType {
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'quoted') throw this.fail(t);
    let name = t.text;
    if (name.toLowerCase() === 'double' && this.acceptWord('precision')) name = 'double precision';
    if (
      name.toLowerCase() === 'national' ||
      name.toLowerCase() === 'character' ||
      name.toLowerCase() === 'char'
    ) {
      while (this.isWord('character') || this.isWord('char') || this.isWord('varying'))
        name += ' ' + this.next().text;
    }
    if (this.isOp('.')) throw notSupported('user-defined types');
    // https://learn.microsoft.com/sql/t-sql/xml/xml-transact-sql: xml([CONTENT | DOCUMENT] collection).
    if (name.toLowerCase() === 'xml' && this.isOp('('))
      throw notSupported('typed xml (XML schema collections)');
    const args: (number | 'max')[] = [];
    if (this.acceptOp('(')) {
      do {
        const a = this.next();
        if (a.kind === 'word' && a.text.toLowerCase() === 'max') args.push('max');
        else if (a.kind === 'number' && /^\d+$/.test(a.text)) args.push(Number(a.text));
        else throw this.fail(a);
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    return resolveType(name, args, inCast);
  }

  // ---- SELECT ----

  select(): Select {
    this.expectWord('select');
    const distinct = this.acceptWord('distinct');
    if (!distinct) this.acceptWord('all');
    let top: Expr | undefined;
    if (this.acceptWord('top')) {
      top = this.acceptOp('(') ? this.exprThen(')') : this.primary();
      if (this.isWord('percent')) throw notSupported('TOP ... PERCENT');
      if (this.isWord('with')) throw notSupported('TOP ... WITH TIES');
    }
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptOp(','));
    if (this.isWord('into')) throw notSupported('SELECT ... INTO');
    const select: Select = { kind: 'select', distinct, top, items };
    if (this.acceptWord('from')) select.from = this.fromClause();
    if (this.acceptWord('where')) select.where = this.expr();
    if (this.isWord('group') && this.isWord('by', 1)) {
      this.i += 2;
      select.groupBy = [];
      do select.groupBy.push(this.expr());
      while (this.acceptOp(','));
      if (this.isWord('with') && (this.isWord('rollup', 1) || this.isWord('cube', 1)))
        throw notSupported(`GROUP BY ... WITH ${this.peek(1).text.toUpperCase()}`);
    }
    if (this.acceptWord('having')) select.having = this.expr();
    if (this.isWord('order') && this.isWord('by', 1)) {
      this.i += 2;
      select.orderBy = this.orderItems();
      if (this.acceptWord('offset')) {
        select.offset = this.expr();
        if (!this.acceptWord('rows')) this.expectWord('row');
        if (this.acceptWord('fetch')) {
          if (!this.acceptWord('next')) this.expectWord('first');
          select.fetch = this.expr();
          if (!this.acceptWord('rows')) this.expectWord('row');
          this.expectWord('only');
        }
      }
    }
    for (const word of ['union', 'except', 'intersect'])
      if (this.isWord(word)) throw notSupported(word.toUpperCase());
    if (this.isWord('for')) throw notSupported('FOR XML / FOR JSON');
    if (this.isWord('option')) throw notSupported('query hints (OPTION)');
    return select;
  }

  private exprThen(close: string): Expr {
    const e = this.expr();
    this.expectOp(close);
    return e;
  }

  private orderItems(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const expr = this.expr();
      const desc = this.acceptWord('desc');
      if (!desc) this.acceptWord('asc');
      items.push({ expr, desc });
    } while (this.acceptOp(','));
    return items;
  }

  private alias(): string | undefined {
    if (this.acceptWord('as')) {
      const t = this.peek();
      if (t.kind === 'string' || t.kind === 'nstring') return this.next().text;
      return this.identifier();
    }
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'nstring') return this.next().text;
    if (this.isIdentifier() && !['offset', 'rows', 'fetch'].includes(t.text.toLowerCase()))
      return this.identifier();
    return undefined;
  }

  private selectItem(): SelectItem {
    const t = this.peek();
    if (this.isOp('*')) {
      this.next();
      return { kind: 'star' };
    }
    if (t.kind === 'variable' && this.isOp('=', 1)) {
      this.i += 2;
      return { kind: 'assign', variable: t.text, expr: this.expr() };
    }
    if (
      (t.kind === 'quoted' || t.kind === 'word' || t.kind === 'string') &&
      this.isOp('=', 1) &&
      (t.kind !== 'word' || !RESERVED.has(t.text.toLowerCase()))
    ) {
      this.i += 2;
      const start = this.peek().pos;
      const expr = this.expr();
      return {
        kind: 'expr',
        expr,
        alias: t.text,
        text: this.source.slice(start, this.tokens[this.i - 1]!.end),
      };
    }
    // qualifier.* with up to three parts
    let k = 0;
    while (this.isIdentifier(k) && this.isOp('.', k + 1)) k += 2;
    if (k > 0 && this.isOp('*', k)) {
      const qualifier: string[] = [];
      for (let j = 0; j < k; j += 2) qualifier.push(this.peek(j).text);
      this.i += k + 1;
      return { kind: 'star', qualifier };
    }
    const start = t.pos;
    const expr = this.expr();
    const text = this.source.slice(start, this.tokens[this.i - 1]!.end);
    return { kind: 'expr', expr, alias: this.alias(), text };
  }

  private tableRef(): TableRef {
    if (this.isOp('(')) throw notSupported('derived tables (subqueries in FROM)');
    if (this.isWord('changetable') && this.isOp('(', 1)) return this.changeTable();
    const name = this.objectName();
    if (this.isOp('(')) throw notSupported('table-valued functions');
    const alias = this.isWord('with') ? undefined : this.alias();
    if (this.acceptWord('with')) {
      // Table hints (NOLOCK, READPAST, ...) change locking, which the stand-in does not have.
      this.expectOp('(');
      while (!this.acceptOp(')')) {
        if (this.peek().kind === 'eof') throw this.fail();
        this.next();
      }
    }
    return { name, alias };
  }

  /**
   * CHANGETABLE(CHANGES table, last_sync_version [, FORCESEEK]) [AS] alias: the version is a variable, a
   * number or NULL; the alias is required (22104)
   * (https://learn.microsoft.com/sql/relational-databases/system-functions/changetable-transact-sql).
   */
  private changeTable(): TableRef {
    this.i += 2;
    if (this.isWord('version')) throw notSupported('CHANGETABLE(VERSION ...)');
    this.expectWord('changes');
    const name = this.objectName();
    this.expectOp(',');
    const t = this.peek();
    const negative = this.isOp('-') && this.peek(1).kind === 'number';
    if (t.kind !== 'variable' && t.kind !== 'number' && !this.isWord('null') && !negative) {
      throw new SqlError(
        22102,
        'The arguments supplied are not valid for the CHANGES option of the CHANGETABLE function.',
      );
    }
    const lastVersion = this.unary();
    // FORCESEEK only steers SQL Server's plan.
    if (this.acceptOp(',')) this.expectWord('forceseek');
    this.expectOp(')');
    const alias = this.alias();
    if (alias === undefined)
      throw new SqlError(22104, 'A table returned by the CHANGETABLE function must be aliased.');
    if (this.isOp('(')) throw notSupported('column aliases for CHANGETABLE');
    return { name, alias, changes: { lastVersion } };
  }

  private fromClause(): { table: TableRef; joins: Join[] } {
    const table = this.tableRef();
    const joins: Join[] = [];
    for (;;) {
      if (this.isOp(',')) throw notSupported('comma joins (use JOIN ... ON)');
      if (this.isWord('cross') || this.isWord('full') || this.isWord('right'))
        throw notSupported(`${this.peek().text.toUpperCase()} JOIN`);
      let type: 'inner' | 'left';
      if (this.acceptWord('join')) type = 'inner';
      else if (this.isWord('inner') && this.isWord('join', 1)) {
        this.i += 2;
        type = 'inner';
      } else if (this.acceptWord('left')) {
        this.acceptWord('outer');
        this.expectWord('join');
        type = 'left';
      } else break;
      const ref = this.tableRef();
      this.expectWord('on');
      joins.push({ type, table: ref, on: this.expr() });
    }
    return { table, joins };
  }

  // ---- expressions ----

  expr(): Expr {
    let left = this.andExpr();
    while (this.acceptWord('or')) left = { kind: 'logical', op: 'or', left, right: this.andExpr() };
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptWord('and')) left = { kind: 'logical', op: 'and', left, right: this.notExpr() };
    return left;
  }

  private notExpr(): Expr {
    if (this.acceptWord('not')) return { kind: 'not', expr: this.notExpr() };
    return this.predicate();
  }

  private predicate(): Expr {
    if (this.isWord('exists')) {
      this.next();
      this.expectOp('(');
      const select = this.select();
      this.expectOp(')');
      return { kind: 'exists', select, not: false };
    }
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARE[t.text]) {
      this.next();
      if (this.isWord('all') || this.isWord('any') || this.isWord('some')) throw notSupported('ALL/ANY/SOME');
      return { kind: 'compare', op: COMPARE[t.text]!, left, right: this.additive() };
    }
    const not =
      this.isWord('not') && (this.isWord('in', 1) || this.isWord('between', 1) || this.isWord('like', 1));
    if (not) this.next();
    if (this.acceptWord('in')) {
      this.expectOp('(');
      if (this.isWord('select')) throw notSupported('IN (subquery)');
      const list: Expr[] = [];
      do list.push(this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
      return { kind: 'in', expr: left, list, not };
    }
    if (this.acceptWord('between')) {
      const low = this.additive();
      this.expectWord('and');
      return { kind: 'between', expr: left, low, high: this.additive(), not };
    }
    if (this.acceptWord('like')) {
      const pattern = this.additive();
      if (this.isWord('escape')) throw notSupported('LIKE ... ESCAPE');
      return { kind: 'like', expr: left, pattern, not };
    }
    if (this.acceptWord('is')) {
      const isNot = this.acceptWord('not');
      this.expectWord('null');
      return { kind: 'isNull', expr: left, not: isNot };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      // & | ^ share the precedence of + and - in T-SQL.
      if (t.kind === 'op' && (t.text === '&' || t.text === '|' || t.text === '^')) {
        this.next();
        left = { kind: 'arithmetic', op: t.text, left, right: this.multiplicative() };
      } else if (this.acceptOp('+'))
        left = { kind: 'arithmetic', op: '+', left, right: this.multiplicative() };
      else if (this.acceptOp('-')) left = { kind: 'arithmetic', op: '-', left, right: this.multiplicative() };
      else return left;
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.text === '*' || t.text === '/' || t.text === '%')) {
        this.next();
        left = { kind: 'arithmetic', op: t.text, left, right: this.unary() };
      } else return left;
    }
  }

  private unary(): Expr {
    if (this.acceptOp('-')) return { kind: 'negate', expr: this.unary() };
    if (this.acceptOp('+')) return this.unary();
    if (this.isOp('~')) throw notSupported('the bitwise NOT operator (~)');
    return this.primary();
  }

  /** A DEFAULT value: a literal, a call or any parenthesized expression. */
  private primaryOrParenthesized(): Expr {
    if (this.isOp('-')) {
      this.next();
      return { kind: 'negate', expr: this.primaryOrParenthesized() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return {
          kind: 'literal',
          value: {
            type: { name: 'varchar', length: Math.max(t.text.length, 1) },
            value: toCodePage1252(t.text),
          },
        };
      case 'nstring':
        return {
          kind: 'literal',
          value: { type: { name: 'nvarchar', length: Math.max(t.text.length, 1) }, value: t.text },
        };
      case 'number':
        return { kind: 'literal', value: numberLiteral(t.text) };
      case 'money': {
        const parsed = parseDecimalText(t.text);
        if (!parsed) throw this.fail(t);
        return {
          kind: 'literal',
          value: { type: { name: 'money' }, value: rescale(parsed.value, parsed.scale, 4) },
        };
      }
      case 'binary': {
        const hex = t.text.length % 2 === 0 ? t.text : '0' + t.text;
        const bytes = Buffer.from(hex, 'hex');
        return {
          kind: 'literal',
          value: { type: { name: 'varbinary', length: Math.max(bytes.length, 1) }, value: bytes },
        };
      }
      case 'variable':
        return { kind: 'variable', name: t.text };
      case 'global':
        return { kind: 'global', name: t.text.toUpperCase() };
      case 'op':
        if (t.text === '(') {
          if (this.isWord('select')) throw notSupported('scalar subqueries');
          return this.exprThen(')');
        }
        throw this.fail(t);
      case 'quoted':
        this.i--;
        return this.columnRef();
      case 'word':
        break;
      default:
        throw this.fail(t);
    }
    const word = t.text.toLowerCase();
    switch (word) {
      case 'null':
        return { kind: 'literal', value: { type: { name: 'int' }, value: null } };
      case 'case':
        return this.caseExpr();
      case 'cast':
      case 'try_cast': {
        this.expectOp('(');
        const expr = this.expr();
        this.expectWord('as');
        const type = this.dataType(true);
        this.expectOp(')');
        return { kind: 'cast', expr, type, try: word === 'try_cast' };
      }
      case 'convert':
      case 'try_convert': {
        this.expectOp('(');
        const type = this.dataType(true);
        this.expectOp(',');
        const expr = this.expr();
        const style = this.acceptOp(',') ? this.expr() : undefined;
        this.expectOp(')');
        return { kind: 'cast', expr, type, style, try: word === 'try_convert' };
      }
      case 'current_timestamp':
        return { kind: 'call', name: 'getdate', args: [] };
      case 'geography':
      case 'geometry':
        // A static method: geography::STGeomFromText('POINT(1 2)', 4326).
        if (this.acceptOp('::')) {
          const method = this.namePart().toLowerCase();
          return { kind: 'call', name: `${word}::${method}`, args: this.callArguments() };
        }
    }
    if (
      this.isOp('(') &&
      t.kind === 'word' &&
      (!RESERVED.has(word) || ['coalesce', 'nullif', 'left', 'right', 'identity'].includes(word))
    ) {
      this.next();
      if (this.acceptOp('*')) {
        this.expectOp(')');
        return { kind: 'call', name: word, args: [], star: true };
      }
      const distinct = this.acceptWord('distinct');
      const args: Expr[] = [];
      if (!this.isOp(')')) {
        do args.push(this.expr());
        while (this.acceptOp(','));
      }
      this.expectOp(')');
      if (this.isWord('over')) throw notSupported('window functions (OVER)');
      if (this.isWord('within')) throw notSupported('WITHIN GROUP');
      return { kind: 'call', name: word, args, distinct };
    }
    if (RESERVED.has(word)) throw this.fail(t);
    this.i--;
    return this.columnRef();
  }

  private columnRef(): Expr {
    const start = this.peek().pos;
    const parts = [this.identifier()];
    while (this.isOp('.') && (this.peek(1).kind === 'word' || this.peek(1).kind === 'quoted')) {
      this.next();
      parts.push(this.namePart());
    }
    const member = parts.length > 1 ? parts[parts.length - 1]!.toLowerCase() : '';
    const target = (): Expr => {
      const inner = parts.slice(0, -1);
      return { kind: 'column', parts: inner, text: inner.join('.') };
    };
    // A CLR type's method (g.STAsBinary()) or property (g.STSrid): calls named `.<member>`, which no
    // function name can be, so the binder checks the target's type (functions.ts).
    if (this.isOp('(')) {
      if (parts.length === 1) throw notSupported(`the function ${parts.join('.')}`);
      return { kind: 'call', name: `.${member}`, args: [target(), ...this.callArguments()] };
    }
    if (CLR_PROPERTIES.has(member)) return { kind: 'call', name: `.${member}`, args: [target()] };
    return { kind: 'column', parts, text: this.source.slice(start, this.tokens[this.i - 1]!.end) };
  }

  private callArguments(): Expr[] {
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      do args.push(this.expr());
      while (this.acceptOp(','));
    }
    this.expectOp(')');
    return args;
  }

  private caseExpr(): Expr {
    const operand = this.isWord('when') ? undefined : this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord('when')) {
      const when = this.expr();
      this.expectWord('then');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) throw this.fail();
    const otherwise = this.acceptWord('else') ? this.expr() : undefined;
    this.expectWord('end');
    return { kind: 'case', operand, whens, otherwise };
  }
}

/** Properties of the spatial types read without parentheses (g.STSrid). */
const CLR_PROPERTIES = new Set(['stsrid']);

function notSupportedArg(): never {
  throw notSupported('DEFAULT as an EXEC argument');
}

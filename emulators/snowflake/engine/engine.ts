/**
 * The SQL side of the stand-in: sessions over one DuckDB instance, and the dispatch of each statement
 * to the code that implements it.
 */
import { promises as fs } from 'node:fs';
import { noActiveWarehouse, SnowflakeError, unsupported } from '../errors';
import type { Faults } from '../faults';
import { Cursor } from '../sql/cursor';
import { foldQuotedNames } from '../sql/identifiers';
import { syntaxErrorAt, tokenize, type Token } from '../sql/lexer';
import { copyInto } from '../load/copy';
import { CopyMeter } from './copy-meter';
import { namedStageFolder } from '../stages';
import type { BindValue } from './binds';
import { Database } from './duck';
import { Mutex, ReadWriteLock } from './mutex';
import { ParameterLevel } from './parameters';
import type { StatementInput } from './relations';
import { STATEMENT_TYPE, text, type StatementResult } from './result';
import { Session, type SessionIdentity } from './session';
import { alterTable, create, drop, truncate, type DdlContext } from './statements/ddl';
import { deleteRows, insert, merge, select, update } from './statements/dml';
import {
  alterAccountOrUser,
  alterSession,
  transaction,
  use,
  type ParameterLevels,
} from './statements/session-commands';
import { describe, show } from './statements/show';
import { get, listOrRemove, put } from './statements/stage-commands';

export interface EngineOptions {
  account: string;
  /** DuckDB file; in memory when undefined. */
  dataFile?: string;
  /** Folder that holds the stages' files. */
  stageRoot: string;
  faults?: Faults;
  /** The users that can log in (upper case): ALTER USER names one of them. */
  users?: string[];
}

/** 000008 (0A000): a request holds another number of statements than MULTI_STATEMENT_COUNT says. */
export const statementCount = (n: number, desired = 1) =>
  new SnowflakeError(
    '000008',
    '0A000',
    `Actual statement count ${n} did not match the desired statement count ${desired}.`,
  );

/** Snowflake statements the stand-in does not implement; any other first word is a syntax error. */
const KNOWN_STATEMENTS = new Set([
  'GRANT',
  'REVOKE',
  'CALL',
  'EXECUTE',
  'EXPLAIN',
  'UNDROP',
  'COMMENT',
  'SET',
  'UNSET',
]);

/** 000900 (42000): nothing to execute. */
const emptyStatement = () =>
  new SnowflakeError('000900', '42000', 'SQL compilation error:\nEmpty SQL statement.');

/**
 * `CALL SYSTEM$WAIT(n[, 'SECONDS'])`: answers `waited n seconds` in a column named SYSTEM$WAIT, as Snowflake
 * documents it; an abort request ends the wait with 000604. Other time units are refused.
 */
async function systemWait(session: Session, amount: number, unit = 'SECONDS'): Promise<StatementResult> {
  if (unit.toUpperCase() !== 'SECONDS') throw unsupported(`SYSTEM$WAIT with the unit ${unit}`);
  session.checkTransaction('OTHER');
  await session.wait(amount * 1000);
  return {
    kind: 'rows',
    columns: [text('SYSTEM$WAIT')],
    rows: [[`waited ${amount} seconds`]],
    statementTypeId: STATEMENT_TYPE.SELECT,
  };
}

/**
 * DML: with AUTOCOMMIT off, each opens a transaction when none is open
 * (https://docs.snowflake.com/en/sql-reference/transactions#autocommit). Each also needs a warehouse, as
 * queries that read tables do (https://docs.snowflake.com/en/user-guide/warehouses-overview).
 */
const DML = new Set(['INSERT', 'DELETE', 'UPDATE', 'MERGE', 'COPY']);

/**
 * Whether a statement needs a running warehouse: DML and COPY, and queries with a FROM clause. Queries
 * of constants and context functions (CURRENT_VERSION()) need none. Snowflake answers some queries of
 * tables (COUNT(*) and the like) from metadata without a warehouse; the stand-in asks for one for all.
 */
function needsWarehouse(keyword: string, tokens: Token[]): boolean {
  if (DML.has(keyword)) return true;
  return READS.has(keyword) && tokens.some((t) => t.kind === 'word' && t.value === 'FROM');
}

/** Statements that only read tables, and statements that write rows (or commit them). */
const READS = new Set(['SELECT', 'WITH']);
const WRITES = new Set([
  'INSERT',
  'DELETE',
  'UPDATE',
  'MERGE',
  'COPY',
  'TRUNCATE',
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
]);

export class Engine {
  private readonly ddlLock = new Mutex();
  /**
   * Reads run together, row writes one at a time and never beside a read. Snowflake answers every
   * statement from one consistent snapshot; DuckDB, under heavy load, sometimes did not: a scan running
   * while other sessions deleted and appended rows of the same table counted rows outside its WHERE
   * (found by the generated round trips: a batch's checksum over 5 rows answered 10 or 15 rows, and the
   * same query answered 5 right after).
   */
  private readonly rows = new ReadWriteLock();
  private lastSessionId = 1_000_000;
  readonly copyMeter = new CopyMeter();
  /** Parameters set with ALTER ACCOUNT and ALTER USER: sessions start from them. */
  private readonly levels: ParameterLevels;

  private constructor(
    readonly options: EngineOptions,
    private readonly db: Database,
  ) {
    const users = new Map((options.users ?? []).map((name) => [name.toUpperCase(), new ParameterLevel()]));
    this.levels = { account: new ParameterLevel(), user: (name) => users.get(name) };
  }

  static async open(options: EngineOptions): Promise<Engine> {
    await fs.mkdir(options.stageRoot, { recursive: true });
    return new Engine(options, await Database.open(options.dataFile));
  }

  /**
   * A session of `identity.user`, its parameters as the account and the user set them. `ownLevels:
   * false` (the in-process query()) keeps Snowflake's defaults whatever the account says.
   */
  async openSession(identity: Omit<SessionIdentity, 'account'>, ownLevels = true): Promise<Session> {
    const connection = await this.db.connect();
    // Snowflake sorts NULL as the highest value: last when ascending, first when descending.
    await connection.run("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
    await connection.run("SET TimeZone = 'UTC'");
    const session = new Session(
      ++this.lastSessionId,
      connection,
      { account: this.options.account, ...identity },
      this.ddlLock,
      this.options.faults,
    );
    if (ownLevels) {
      this.levels.account.applyTo(session.params);
      this.levels.user(identity.user)?.applyTo(session.params);
      session.inherited = { ...session.params };
    }
    const id = session.identity;
    // A database or schema named at login that does not exist leaves the session without one.
    if (id.database !== null && !(await session.catalog.hasDatabase(id.database)))
      id.database = id.schema = null;
    if (
      id.database !== null &&
      id.schema === null &&
      (await session.catalog.hasSchema(id.database, 'PUBLIC'))
    )
      id.schema = 'PUBLIC';
    if (
      id.database !== null &&
      id.schema !== null &&
      !(await session.catalog.hasSchema(id.database, id.schema))
    )
      id.schema = null;
    return session;
  }

  async closeSession(session: Session): Promise<void> {
    const stages = await session.lock.run(() => session.close());
    for (const stage of stages) {
      await fs.rm(namedStageFolder(this.options.stageRoot, stage.id, stage.name).dir, {
        recursive: true,
        force: true,
      });
    }
  }

  /** Runs one statement; statements of a session run one after another. */
  execute(session: Session, sql: string, binds: BindValue[], queryId: string): Promise<StatementResult> {
    return session.lock.run(() => session.withTimeout(() => this.dispatch(session, sql, binds, queryId)));
  }

  private async dispatch(
    session: Session,
    sql: string,
    binds: BindValue[],
    queryId: string,
  ): Promise<StatementResult> {
    const head = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
    // PUT and GET carry file URIs that are not SQL tokens (file:///tmp/x would start a // comment).
    if (head === 'PUT' || head === 'GET') {
      session.checkTransaction('OTHER');
      return head === 'PUT'
        ? put(session, this.options.stageRoot, sql, queryId)
        : get(session, this.options.stageRoot, sql, queryId);
    }
    const wait = /^\s*CALL\s+SYSTEM\$WAIT\s*\(\s*(\d+)\s*(?:,\s*'([A-Za-z]+)'\s*)?\)\s*;?\s*$/i.exec(sql);
    if (wait) return systemWait(session, Number(wait[1]), wait[2]);
    const tokens = foldQuotedNames(
      singleStatement(tokenize(sql)),
      session.params.QUOTED_IDENTIFIERS_IGNORE_CASE,
    );
    const first = tokens[0]!;
    const keyword = first.kind === 'op' && first.value === '(' ? 'SELECT' : first.value;
    if (keyword !== 'COMMIT' && keyword !== 'ROLLBACK') session.checkTransaction('OTHER');
    if (session.identity.warehouse === null && needsWarehouse(keyword, tokens)) throw noActiveWarehouse();
    if (DML.has(keyword) && !session.params.AUTOCOMMIT) await session.begin();
    if (READS.has(keyword))
      return this.rows.shared(() => this.statement(session, sql, tokens, binds, keyword));
    if (WRITES.has(keyword))
      return this.rows.exclusive(() => this.statement(session, sql, tokens, binds, keyword));
    return this.statement(session, sql, tokens, binds, keyword);
  }

  private async statement(
    session: Session,
    sql: string,
    tokens: Token[],
    binds: BindValue[],
    keyword: string,
  ): Promise<StatementResult> {
    const c = new Cursor(tokens, 0, sql.length);
    const input: StatementInput = { session, sql, tokens, binds, nowMs: Date.now() };
    const ddl: DdlContext = { session, sql, stageRoot: this.options.stageRoot, nowMs: input.nowMs };
    switch (keyword) {
      case 'SELECT':
      case 'WITH':
        return select(input, tokens.length);
      case 'INSERT':
        return insert(input, c, tokens.length);
      case 'DELETE':
        return deleteRows(input, tokens.length);
      case 'UPDATE':
        return update(input, tokens.length);
      case 'MERGE':
        return merge(input, tokens.length);
      case 'CREATE':
        return create(ddl, c);
      case 'DROP':
        return drop(ddl, c);
      case 'ALTER':
        if (c.isWord('TABLE', 1)) return alterTable(ddl, c);
        if (c.isWord('SESSION', 1)) return alterSession(session, c);
        if (c.isWord('ACCOUNT', 1) || c.isWord('USER', 1)) return alterAccountOrUser(session, c, this.levels);
        throw unsupported(`ALTER ${tokens[1]?.value ?? ''}`);
      case 'TRUNCATE':
        return truncate(ddl, c);
      case 'USE':
        return use(session, c);
      case 'SHOW':
        return show(session, c);
      case 'DESCRIBE':
      case 'DESC':
        return describe(session, c);
      case 'BEGIN':
      case 'START':
      case 'COMMIT':
      case 'ROLLBACK':
        return transaction(session, c);
      case 'LIST':
      case 'LS':
      case 'REMOVE':
      case 'RM':
        return listOrRemove(session, this.options.stageRoot, sql);
      case 'COPY':
        return this.copyMeter.measure(
          () =>
            copyInto({
              session,
              tokens,
              sqlLength: sql.length,
              stageRoot: this.options.stageRoot,
              nowMs: input.nowMs,
            }),
          // One row per file: rows_loaded is its fourth column (a status message has none).
          (result) =>
            result.rows.reduce((sum, row) => sum + (typeof row[3] === 'bigint' ? Number(row[3]) : 0), 0),
        );
      default:
        if (KNOWN_STATEMENTS.has(keyword)) throw unsupported(`the statement ${keyword}`);
        throw syntaxErrorAt(tokens, 0, sql.length);
    }
  }

  close(): void {
    this.db.close();
  }
}

/** The statement's tokens without a trailing `;`; several statements in one request are refused. */
/**
 * The statements of a request, as text with the number of `?` binds each takes (binds are handed out in
 * order). PUT and GET carry file URIs that are not SQL tokens, so a request starting with them is one
 * statement.
 */
export function splitStatements(sql: string): { sql: string; binds: number }[] {
  if (/^\s*(PUT|GET)\b/i.test(sql)) return [{ sql, binds: 0 }];
  const statements: Token[][] = [[]];
  for (const t of tokenize(sql)) {
    if (t.kind === 'op' && t.value === ';') statements.push([]);
    else statements[statements.length - 1]!.push(t);
  }
  return statements
    .filter((tokens) => tokens.length > 0)
    .map((tokens) => {
      if (tokens.some((t) => t.kind === 'bind' && t.value !== '') && statements.length > 1)
        throw unsupported('numbered binds (:1) in a multi-statement request');
      return {
        sql: sql.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end),
        binds: tokens.filter((t) => t.kind === 'bind').length,
      };
    });
}

function singleStatement(tokens: Token[]): Token[] {
  const statements: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'op' && t.value === ';') statements.push([]);
    else statements[statements.length - 1]!.push(t);
  }
  const nonEmpty = statements.filter((s) => s.length > 0);
  if (nonEmpty.length === 0) throw emptyStatement();
  if (nonEmpty.length > 1) throw statementCount(nonEmpty.length);
  return nonEmpty[0]!;
}

/**
 * A Snowflake session on the SQL side: its current database, schema, role and warehouse, its
 * parameters, and one DuckDB connection of its own, so that BEGIN ... COMMIT isolates it from other
 * sessions the way Snowflake transactions do.
 */
import type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { SnowflakeError, canceled, statementTimedOut } from '../errors';
import type { Faults } from '../faults';
import { stringLiteral } from '../sql/identifiers';
import type { ConvertContext } from '../values/convert';
import type { BinaryFormat } from '../values/parse';
import { Catalog, type StageInfo } from './catalog';
import { snowflakeErrorOf } from './duck';
import { Mutex } from './mutex';
import { defaultParameters, MAX_STATEMENT_TIMEOUT_SECONDS, type SessionParameters } from './parameters';

export interface SessionIdentity {
  account: string;
  user: string;
  role: string;
  warehouse: string | null;
  database: string | null;
  schema: string | null;
}

/** 25000: DuckDB cannot continue a transaction after a failed statement; Snowflake can. */
const transactionLost = (reason: string) =>
  new SnowflakeError(
    '000603',
    '25000',
    `The Snowflake stand-in rolled this transaction back when a statement inside it failed (${reason}); ` +
      'Snowflake would have kept it open. Issue ROLLBACK and start again.',
  );

export class Session {
  /** Statements of one session run one at a time, as on a Snowflake connection. */
  readonly lock = new Mutex();
  readonly catalog: Catalog;
  readonly params: SessionParameters = defaultParameters();
  /** The account's and the user's values at login: what ALTER SESSION UNSET returns to. */
  inherited: SessionParameters = defaultParameters();
  inTransaction = false;
  /** Set when STATEMENT_TIMEOUT_IN_SECONDS interrupted the running statement. */
  private timedOut = false;
  /** Ends a running SYSTEM$WAIT early (an abort request). */
  private stopWaiting: (() => void) | undefined;
  /** Why the open transaction was lost, until the client ends it. */
  private transactionFailure: string | undefined;

  constructor(
    readonly id: number,
    readonly connection: DuckDBConnection,
    readonly identity: SessionIdentity,
    private readonly ddlLock: Mutex,
    /** Injected faults that act inside the engine (altered loaded values). */
    readonly faults?: Faults,
  ) {
    this.catalog = new Catalog(connection, id);
  }

  /** SYSTEM$WAIT: resolves after `ms`; interrupt() ends it with 000604, as it ends a running query. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stopWaiting = undefined;
        resolve();
      }, ms);
      this.stopWaiting = () => {
        clearTimeout(timer);
        this.stopWaiting = undefined;
        reject(canceled());
      };
    });
  }

  /** An abort request: cancels DuckDB's running statement or a SYSTEM$WAIT. */
  interrupt(): void {
    if (this.stopWaiting) this.stopWaiting();
    else this.connection.interrupt();
  }

  /**
   * Runs a statement under STATEMENT_TIMEOUT_IN_SECONDS: past it the statement is interrupted and fails
   * with 000630, as https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds
   * describes.
   */
  async withTimeout<T>(work: () => Promise<T>): Promise<T> {
    const seconds = this.params.STATEMENT_TIMEOUT_IN_SECONDS || MAX_STATEMENT_TIMEOUT_SECONDS;
    this.timedOut = false;
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.interrupt();
    }, seconds * 1000);
    try {
      return await work();
    } catch (err) {
      if (this.timedOut) throw statementTimedOut(seconds);
      throw err;
    } finally {
      clearTimeout(timer);
      this.timedOut = false;
    }
  }

  /** What the sf_* scalar functions need to know about the session, as a SQL literal. */
  contextLiteral(): string {
    return stringLiteral(JSON.stringify(this.conversionContext()));
  }

  conversionContext(): ConvertContext {
    return {
      timezone: this.params.TIMEZONE,
      binaryFormat: this.params.BINARY_INPUT_FORMAT as BinaryFormat,
      inputFormats: {
        date: this.params.DATE_INPUT_FORMAT,
        time: this.params.TIME_INPUT_FORMAT,
        timestamp: this.params.TIMESTAMP_INPUT_FORMAT,
      },
      params: { ...this.params },
    };
  }

  /** Runs SQL on the session's connection; a failure that ends DuckDB's transaction is remembered. */
  async duck(sql: string, params: DuckDBValue[] = []): Promise<DuckDBResultReader> {
    try {
      return await this.connection.runAndReadAll(sql, params);
    } catch (err) {
      await this.noteFailure(err);
      throw snowflakeErrorOf(err);
    }
  }

  private async noteFailure(err: unknown): Promise<void> {
    if (!this.inTransaction) return;
    const message = (err as Error).message?.split('\n')[0] ?? String(err);
    let aborted = message.startsWith('TransactionContext Error');
    if (!aborted) {
      try {
        await this.connection.run('SELECT 1');
      } catch (probe) {
        aborted = /transaction is aborted/i.test((probe as Error).message);
      }
    }
    if (aborted) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      this.transactionFailure = message;
    }
  }

  /** Refuses statements while a lost transaction has not been ended by the client. */
  checkTransaction(statement: 'COMMIT' | 'ROLLBACK' | 'OTHER'): void {
    const failure = this.transactionFailure;
    if (failure === undefined) return;
    if (statement !== 'OTHER') {
      this.transactionFailure = undefined;
      this.inTransaction = false;
    }
    if (statement !== 'ROLLBACK') throw transactionLost(failure);
  }

  /** Work that must be all or nothing: its own transaction, or part of the client's open one. */
  async atomic<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) {
      try {
        return await work();
      } catch (err) {
        await this.noteFailure(err);
        throw snowflakeErrorOf(err);
      }
    }
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      return result;
    } catch (err) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw snowflakeErrorOf(err);
    }
  }

  /**
   * DDL commits the client's open transaction first and then runs in its own, as in Snowflake. DDL
   * statements of all sessions take turns, so two sessions never both create the same name.
   */
  ddl<T>(work: () => Promise<T>): Promise<T> {
    return this.ddlLock.run(async () => {
      await this.commit();
      return this.atomic(work);
    });
  }

  async begin(): Promise<void> {
    if (this.inTransaction) return;
    await this.connection.run('BEGIN TRANSACTION');
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    await this.connection.run('COMMIT');
  }

  async rollback(): Promise<void> {
    if (!this.inTransaction) return;
    this.inTransaction = false;
    await this.connection.run('ROLLBACK');
  }

  /** Logout: an open transaction is rolled back, temporary objects go, the connection closes. */
  async close(): Promise<StageInfo[]> {
    await this.rollback().catch(() => undefined);
    const stages = await this.ddlLock
      .run(() => this.atomic(() => this.catalog.dropTemporaryObjects()))
      .catch((): StageInfo[] => []);
    this.connection.closeSync();
    return stages;
  }
}

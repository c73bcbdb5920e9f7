/**
 * One response message as SQL Server shapes it: tokens, a DONE per statement (the last one without the
 * MORE bit), ERROR followed by a DONE with the error bit, and for RPCs RETURNSTATUS and DONEPROC at the end.
 */
import type { SqlError } from '../errors';
import type { ResponseWriter } from './packets';
import { DONE_STATUS, TOKEN, done, returnStatus, serverMessage } from './tokens';

export class TokenResponse {
  private pending: { status: number; command: number; count: number; token?: number } | undefined;
  /** Depth of EXEC statements running in a batch: their statements end with DONEINPROC. */
  private procedures = 0;
  /** An RPC's return status, unless it failed (-6). */
  status = 0;
  private failed = false;
  /** RETURNVALUE tokens, written between an RPC's RETURNSTATUS and its DONEPROC as SQL Server orders them. */
  private readonly returnValues: (() => void)[] = [];

  constructor(
    readonly writer: ResponseWriter,
    private readonly serverName: string,
    /** RPC responses report statements with DONEINPROC and end with RETURNSTATUS and DONEPROC. */
    private readonly rpc: boolean,
    private readonly inTransaction: () => boolean,
  ) {}

  get w(): ResponseWriter['w'] {
    return this.writer.w;
  }

  private flushPending(final: boolean): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const token = p.token ?? (this.rpc || this.procedures > 0 ? TOKEN.DONEINPROC : TOKEN.DONE);
    const more = final && !this.rpc ? 0 : DONE_STATUS.MORE;
    done(
      this.w,
      token,
      p.status | more | (this.inTransaction() ? DONE_STATUS.INXACT : 0),
      p.command,
      p.count,
    );
  }

  /** Writes a token after whatever statement finished before it. */
  token(write: () => void): void {
    this.flushPending(false);
    write();
  }

  statementDone(command: number, rowCount: number | undefined): void {
    this.flushPending(false);
    this.pending = { status: rowCount === undefined ? 0 : DONE_STATUS.COUNT, command, count: rowCount ?? 0 };
  }

  procedureStarted(): void {
    this.flushPending(false);
    this.procedures++;
  }

  /** An EXEC statement ends with RETURNSTATUS and a DONEPROC, as SQL Server ends it inside a batch. */
  procedureEnded(status: number): void {
    this.flushPending(false);
    this.procedures--;
    returnStatus(this.w, status);
    this.pending = { status: 0, command: 0xe0, count: 0, token: TOKEN.DONEPROC };
  }

  info(number: number, message: string, details = { class: 0, state: 1 }): void {
    this.token(() => serverMessage(this.w, { number, ...details, message, serverName: this.serverName }));
  }

  /** The error that ended the request. */
  error(e: SqlError, procName = ''): void {
    this.statementError(e, procName);
    this.failed = true;
  }

  /** An error reported by a statement that lets the batch go on (RAISERROR): ERROR, then a DONE with the error bit. */
  statementError(e: SqlError, procName: string): void {
    this.token(() =>
      serverMessage(this.w, {
        number: e.number,
        state: e.state,
        class: e.class,
        message: e.message,
        serverName: this.serverName,
        procName,
        lineNumber: e.lineNumber,
      }),
    );
    this.pending = { status: DONE_STATUS.ERROR, command: 0, count: 0 };
  }

  returnValue(write: () => void): void {
    this.returnValues.push(write);
  }

  /** Ends the message: the last DONE becomes final (an empty one if no statement produced any). */
  end(): void {
    if (this.rpc) {
      this.flushPending(false);
      returnStatus(this.w, this.failed ? -6 : this.status);
      for (const write of this.returnValues) write();
      done(this.w, TOKEN.DONEPROC, this.failed ? DONE_STATUS.ERROR : DONE_STATUS.FINAL, 0xe0, 0);
    } else {
      if (!this.pending) this.pending = { status: 0, command: 0, count: 0 };
      this.flushPending(true);
    }
    this.writer.end();
  }

  /** After ATTENTION: the message ends with a plain DONE; the acknowledgement follows in its own message. */
  endCancelled(): void {
    this.pending = undefined;
    done(this.w, TOKEN.DONE, DONE_STATUS.FINAL, 0, 0);
    this.writer.end();
  }
}

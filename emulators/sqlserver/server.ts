/**
 * The TDS server: accepts connections, runs PRELOGIN and LOGIN7, then serves SQL batches, RPCs
 * (sp_executesql) and transaction manager requests one at a time per connection, answering ATTENTION and
 * applying the faults.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { SqlError, asSqlError, notSupported } from './errors';
import { isSystemProcedure } from './tsql/builtins';
import type { TrafficMeter } from '../shared/traffic';
import type { Faults } from './faults';
import type { Database } from './engine/database';
import { Cancelled, Session, type StatementOutput } from './engine/session';
import { COLLATION_BYTES } from './collation';
import { parseDeclarations, type Declaration } from './engine/declarations';
import type { SqlValue, Typed } from './types/values';
import { convert } from './types/convert';
import { refuseClrType, valueEncoder } from './types/wire';
import type { BufferWriter } from './tds/buffer-writer';
import { parseBulkLoad } from './tds/bulk-load';
import { FEDAUTH_LIBRARY, parseLogin7 } from './tds/login7';
import type { EntraTokens } from './entra';
import { MessageReader, PACKET, ResponseWriter, type Message } from './tds/packets';
import { buildPreloginResponse, clientEncryption } from './tds/prelogin';
import { TlsChannel, negotiateEncryption, type Encryption, type TlsContexts } from './tds/tls';
import { PROC_ID, parseRpc, parseSqlBatch, parseTransactionManager, type RpcParam } from './tds/requests';
import { PreparedStatements } from './engine/prepared';
import { INT } from './types/sql-type';
import { TokenResponse } from './tds/response';
import { parseObjectName } from './tsql/parser';
import {
  CURRENT_COMMAND,
  DONE_STATUS,
  ENV_CHANGE,
  TOKEN,
  colMetadata,
  orderToken,
  returnValue,
  done,
  envChange,
  envChangeBinary,
  fedAuthAck,
  loginAck,
  serverMessage,
} from './tds/tokens';

export const PRODUCT_VERSION = '16.0.1000.6';
const VERSION_BYTES = [16, 0, 0x03, 0xe8];
const TDS_7_2 = 0x72090002;
const TDS_7_3_A = 0x730a0003;
const TDS_7_4 = 0x74000004;
export const SERVER_NAME = 'SQLSTANDIN';
export const VERSION_TEXT =
  `Microsoft SQL Server 2022 (RTM) - ${PRODUCT_VERSION} (X64) \n\tOct  8 2022 05:58:25 \n\tCopyright (C) 2022 Microsoft Corporation\n\t` +
  'Developer Edition (64-bit) on Linux (SQL Server stand-in on DuckDB) <X64>';
/** Wait for the client to read before writing more than this. */
const BACKLOG_LIMIT = 1 << 20;
/**
 * "The maximum network packet size for encrypted connections is 16,383 bytes."
 * https://learn.microsoft.com/en-us/sql/database-engine/configure-windows/configure-the-network-packet-size-server-configuration-option
 */
const MAX_ENCRYPTED_PACKET_SIZE = 16_383;

/** The request kinds the traffic meter counts (an unsupported packet type is refused uncounted). */
const REQUEST_KINDS: Partial<Record<number, string>> = {
  [PACKET.SQL_BATCH]: 'sql batch',
  [PACKET.RPC_REQUEST]: 'rpc',
  [PACKET.BULK_LOAD]: 'bulk load',
  [PACKET.TRANSACTION_MANAGER]: 'transaction manager',
};

/** SQL Server's answer to a refused login (18456): the name, or `<token-identified principal>` for a token. */
const loginFailedFor = (name: string): SqlError =>
  new SqlError(18456, `Login failed for user '${name}'.`, { class: 14, state: 1 });

/** MS-TDS asks for an ERROR token without giving its text: the stand-in's own, as 50000. */
const protocolRefusal = (why: string): SqlError =>
  new SqlError(50000, `The SQL Server stand-in refused the login: ${why}.`, { class: 14, state: 1 });

export interface ServerConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  defaultDatabase: string;
  db: Database;
  faults: Faults;
  /** Counts the requests and keeps the statements received (tests pin what a table costs). */
  traffic: TrafficMeter;
  log: (line: string) => void;
  /** The certificate's secure contexts; without them the stand-in answers PRELOGIN with ENCRYPT_NOT_SUP. */
  tls?: TlsContexts;
  /** SQL Server's Force Encryption: a client that cannot encrypt is refused. */
  forceEncryption: boolean;
  /** The Microsoft Entra tenant whose access tokens log in, and its admin (dbo everywhere). */
  entra?: { tokens: EntraTokens; admin: string };
}

export class TdsServer {
  private server: Server | undefined;
  private readonly connections = new Set<ClientConnection>();
  /** Connections whose sessions are still closing (waiting for their request to stop). */
  private readonly closing = new Set<Promise<void>>();
  private nextSpid = 51;

  constructor(private readonly config: ServerConfig) {
    config.faults.bindConnections(() => {
      for (const c of this.connections) c.destroy();
    });
  }

  listen(): Promise<{ host: string; port: number }> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', reject);
        const address = server.address();
        resolve({
          host: this.config.host,
          port: typeof address === 'object' && address ? address.port : this.config.port,
        });
      });
    });
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    if (this.config.faults.takeRefusal()) {
      this.config.log('refusing a connection (fault)');
      socket.destroy();
      return;
    }
    const connection = new ClientConnection(socket, this.config, this.nextSpid++);
    this.connections.add(connection);
    socket.on('close', () => {
      const closed = connection
        .close()
        .catch((e: unknown) => this.config.log(`closing a session failed: ${String(e)}`));
      this.closing.add(closed);
      void closed.then(() => {
        this.closing.delete(closed);
        this.connections.delete(connection);
      });
    });
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    // The database closes after this: every session's DuckDB connection must be closed first.
    await Promise.all(this.closing);
  }
}

/** sp_executesql's and sp_prepare's @stmt: SQL Server's error 214 when it is not text. */
function statementText(param: RpcParam | undefined): string {
  if (!param || typeof param.value !== 'string') {
    throw new SqlError(214, "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'.");
  }
  return param.value;
}

const textOrNull = (param: RpcParam | undefined): string | null =>
  typeof param?.value === 'string' ? param.value : null;

/** Thrown out of the row writer when a drop fault cuts the connection. */
class Dropped extends Error {}

class ClientConnection {
  private readonly reader = new MessageReader();
  private readonly queue: Message[] = [];
  private processing = false;
  /** Settles when no request is being handled: the session may close then. */
  private idle: Promise<void> = Promise.resolve();
  private state: 'prelogin' | 'tls-handshake' | 'login' | 'ready' | 'closed' = 'prelogin';
  /** Where TDS messages are read and written: the socket, or the TLS session over it. */
  private transport: Socket;
  private tls: TlsChannel | undefined;
  private encryption: Encryption = 'none';
  private packetSize = 4096;
  private session: Session | undefined;
  private loginDatabase = 'master';
  /** ATTENTION arrived for the request in progress (or, with none, waits to be acknowledged). */
  private attention = false;
  /** Ends the latency fault's wait early when ATTENTION arrives. */
  private wake: (() => void) | undefined;
  /** sp_prepare's handles: SQL Server keeps them per connection. */
  private readonly prepared = new PreparedStatements();
  /** After how many rows of the current request a drop fault cuts the connection. */
  private dropAfter: number | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly config: ServerConfig,
    private readonly spid: number,
  ) {
    this.transport = socket;
    socket.on('data', (data) => (this.tls?.receivesBare ? this.tls.receive(data) : this.onData(data)));
    socket.on('error', () => socket.destroy());
  }

  destroy(): void {
    this.tls?.destroy();
    this.socket.destroy();
  }

  /** Closes the session once the request in progress has stopped (it stops at its next row or statement). */
  async close(): Promise<void> {
    this.state = 'closed';
    await this.idle;
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }

  private onData(data: Buffer): void {
    // A TLS handshake record before any TDS: TDS 8.0 (strict), where TLS comes first.
    if (this.state === 'prelogin' && this.queue.length === 0 && data[0] === 0x16 && !this.tls) {
      if (!this.config.tls) {
        this.config.log(
          'a client started TLS (TDS 8.0, strict): the stand-in has no certificate (tls option)',
        );
        this.socket.destroy();
        return;
      }
      this.encryption = 'full';
      this.startTls('strict').receive(data);
      return;
    }
    let messages: Message[];
    try {
      messages = this.reader.push(data);
    } catch (e) {
      this.config.log(`protocol error: ${(e as Error).message}`);
      this.socket.destroy();
      return;
    }
    for (const m of messages) {
      if (m.type === PACKET.ATTENTION) {
        this.attention = true;
        this.wake?.();
        if (!this.processing && this.queue.length === 0) this.acknowledgeAttention();
      } else this.queue.push(m);
    }
    void this.drain();
  }

  private acknowledgeAttention(): void {
    this.attention = false;
    const writer = this.writer();
    done(writer.w, TOKEN.DONE, DONE_STATUS.ATTN, 0, 0);
    writer.end();
  }

  private writer(): ResponseWriter {
    return new ResponseWriter(this.transport, this.packetSize, this.spid);
  }

  private startTls(framing: 'prelogin' | 'strict'): TlsChannel {
    const tls = new TlsChannel(this.socket, this.config.tls!, framing, (payload) => {
      // TDS 7.x: the server's handshake records travel in PRELOGIN packets too (MS-TDS 2.2.6.5).
      const writer = new ResponseWriter(this.socket, this.packetSize, this.spid, PACKET.PRELOGIN);
      writer.w.bytes(payload);
      writer.end();
    });
    this.tls = tls;
    tls.cleartext.on('data', (data: Buffer) => this.onData(data));
    tls.cleartext.on('error', (e) => {
      // The client refused the certificate (an alert), or spoke no TLS.
      this.config.log(`TLS handshake failed: ${e.message}`);
      this.socket.destroy();
    });
    tls.cleartext.once('secure', () => {
      this.transport = tls.cleartext;
      if (this.state === 'tls-handshake') this.state = 'login';
    });
    return tls;
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    let finished = (): void => undefined;
    this.idle = new Promise((resolve) => (finished = resolve));
    try {
      while (this.queue.length > 0 && this.state !== 'closed') {
        const message = this.queue.shift()!;
        await this.handle(message);
        if (this.attention) this.acknowledgeAttention();
      }
    } finally {
      this.processing = false;
      finished();
    }
  }

  private async handle(m: Message): Promise<void> {
    try {
      switch (this.state) {
        case 'prelogin':
          if (m.type !== PACKET.PRELOGIN)
            return this.protocolError(`expected PRELOGIN, got packet type ${m.type}`);
          return this.answerPrelogin(m.payload);
        case 'tls-handshake':
          if (m.type !== PACKET.PRELOGIN)
            return this.protocolError(`expected a TLS handshake in PRELOGIN, got packet type ${m.type}`);
          return this.tls!.handshake(m.payload);
        case 'login':
          if (m.type !== PACKET.LOGIN7)
            return this.protocolError(`expected LOGIN7, got packet type ${m.type}`);
          return await this.login(m.payload);
        case 'ready':
          return await this.request(m);
      }
    } catch (e) {
      if (e instanceof Dropped) return;
      this.config.log(`request failed: ${(e as Error).stack ?? String(e)}`);
      this.socket.destroy();
    }
  }

  private protocolError(message: string): void {
    this.config.log(`protocol error: ${message}`);
    this.socket.destroy();
  }

  private answerPrelogin(payload: Buffer): void {
    const asked = clientEncryption(payload);
    const strict = this.tls !== undefined;
    // Under TDS 8.0 the connection is encrypted already and no second handshake follows (MS-TDS: "In TDS
    // 8.0, because encryption is already established, the TDS state machine MUST NOT enter this state",
    // https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/d62e225b-d865-4ccc-8f73-de1ef49e30d4),
    // so Force Encryption is met and the answer only reflects what the client asked.
    const { answer, encryption } = negotiateEncryption(asked, {
      certificate: this.config.tls !== undefined,
      forceEncryption: this.config.forceEncryption && !strict,
    });
    const writer = this.writer();
    writer.w.bytes(
      buildPreloginResponse(
        [VERSION_BYTES[0]!, VERSION_BYTES[1]!, (VERSION_BYTES[2]! << 8) | VERSION_BYTES[3]!],
        answer,
      ),
    );
    writer.end();
    if (strict) {
      this.state = 'login';
      return;
    }
    this.encryption = encryption;
    if (encryption === 'refuse') {
      this.config.log('refused a client that cannot encrypt: Force Encryption is on');
      this.state = 'closed';
      this.socket.end();
      return;
    }
    if (encryption === 'none') {
      this.state = 'login';
      return;
    }
    this.state = 'tls-handshake';
    this.startTls('prelogin');
  }

  private async login(payload: Buffer): Promise<void> {
    const login = parseLogin7(payload);
    if (this.encryption === 'login') {
      // "Encrypt login packet only": the answer and all that follows are plain TDS again.
      this.tls!.detach();
      this.transport = this.socket;
    }
    const response = new TokenResponse(this.writer(), SERVER_NAME, false, () => false);
    const fail = (errors: SqlError[]): void => {
      for (const e of errors) response.error(e);
      response.end();
      this.transport.end();
      this.state = 'closed';
    };
    const identity = this.identify(login);
    if ('refused' in identity) return fail(identity.refused);
    const { userName, admin, entra } = identity;
    const security = this.config.db.catalog.security;
    if (login.tdsVersion < TDS_7_3_A) return this.refuseOldTds(login.tdsVersion);
    if (this.encryption === 'full' && login.packetSize > MAX_ENCRYPTED_PACKET_SIZE) {
      // What SQL Server does with a larger request is not documented: refused rather than guessed.
      this.config.log(`refused packet size ${login.packetSize} on an encrypted connection`);
      return fail([
        new SqlError(
          50000,
          `The SQL Server stand-in does not support a packet size of ${login.packetSize} bytes on an encrypted connection: the maximum network packet size for encrypted connections is 16,383 bytes.`,
          { class: 16, state: 1 },
        ),
      ]);
    }
    const injected = this.config.faults.takeLoginFailure();
    if (injected) {
      this.config.log(`login of '${login.userName}' refused by a failLogins fault`);
      return fail(injected);
    }
    const databaseName = login.database || this.config.defaultDatabase;
    const database = this.config.db.catalog.database(databaseName);
    if (!database || (!admin && !security.userOfLogin(database.name, userName, entra))) {
      return fail([
        new SqlError(
          4060,
          `Cannot open database "${databaseName}" requested by the login. The login failed.`,
          { class: 11, state: 1 },
        ),
        loginFailedFor(userName),
      ]);
    }
    this.packetSize = Math.min(32767, Math.max(512, login.packetSize || 4096));
    this.loginDatabase = database.name;
    this.session = new Session(
      this.config.db,
      await this.config.db.connect(),
      this.sessionInfo(login, userName, admin, entra),
      database.name,
    );
    const w = response.w;
    envChange(w, ENV_CHANGE.DATABASE, database.name, 'master');
    serverMessage(w, {
      number: 5701,
      state: 2,
      class: 0,
      message: `Changed database context to '${database.name}'.`,
      serverName: SERVER_NAME,
    });
    envChangeBinary(w, ENV_CHANGE.COLLATION, COLLATION_BYTES, Buffer.alloc(0));
    envChange(w, ENV_CHANGE.LANGUAGE, 'us_english', '');
    serverMessage(w, {
      number: 5703,
      state: 1,
      class: 0,
      message: 'Changed language setting to us_english.',
      serverName: SERVER_NAME,
    });
    // SQL Server answers with the client's version when that is older than its own.
    loginAck(w, Math.min(login.tdsVersion, TDS_7_4), 'Microsoft SQL Server', VERSION_BYTES);
    if (entra) fedAuthAck(w);
    envChange(w, ENV_CHANGE.PACKET_SIZE, String(this.packetSize), '4096');
    response.end();
    response.writer.setPacketSize(this.packetSize);
    this.state = 'ready';
  }

  /**
   * Before 7.3 SQL Server sends date, time and max types in older forms the stand-in does not write, so
   * it refuses such a login, in the token layout of the client's version (shorter line number and count).
   */
  private refuseOldTds(tdsVersion: number): void {
    const version = `0x${tdsVersion.toString(16)}`;
    this.config.log(`refused a TDS ${version} login`);
    const beforeTds72 = tdsVersion < TDS_7_2;
    const writer = this.writer();
    serverMessage(
      writer.w,
      {
        number: 50000,
        state: 1,
        class: 14,
        message: `The SQL Server stand-in does not support TDS versions before 7.3 (the client asked for ${version}).`,
        serverName: SERVER_NAME,
      },
      beforeTds72,
    );
    done(writer.w, TOKEN.DONE, DONE_STATUS.ERROR, 0, 0, beforeTds72);
    writer.end();
    this.transport.end();
    this.state = 'closed';
  }

  /**
   * Who logs in: the configured login (sa), a login made by CREATE LOGIN, or, with a FEDAUTH security token,
   * the Microsoft Entra principal the token names (the tenant's admin is dbo everywhere, as the server's
   * Entra admin is on Azure SQL). MS-TDS 3.3.5.1 (https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/1d82a68b-57c2-46e9-84ba-ed41f7bd0c7c):
   * fFedAuthEcho must match the PRELOGIN answer, which carries no FEDAUTHREQUIRED here, so it must be 0.
   */
  private identify(
    login: ReturnType<typeof parseLogin7>,
  ): { userName: string; admin: boolean; entra: boolean } | { refused: SqlError[] } {
    const fedAuth = login.fedAuth;
    if (fedAuth) {
      if (fedAuth.echo) {
        this.config.log('refused a FEDAUTH login echoing a FEDAUTHREQUIRED the server did not send');
        return {
          refused: [protocolRefusal('fFedAuthEcho is 1, but the PRELOGIN answer had no FEDAUTHREQUIRED')],
        };
      }
      if (fedAuth.library !== FEDAUTH_LIBRARY.SECURITY_TOKEN || !this.config.entra) {
        this.config.log(`refused a FEDAUTH login (library ${fedAuth.library})`);
        return {
          refused: [
            new SqlError(
              50000,
              this.config.entra
                ? 'The SQL Server stand-in does not support Microsoft Entra authentication other than an access token.'
                : 'The SQL Server stand-in does not support Microsoft Entra authentication without a tenant (entraId option).',
              { class: 14, state: 1 },
            ),
          ],
        };
      }
      const check = this.config.entra.tokens.check(fedAuth.token ?? '');
      if ('refused' in check) {
        // Azure SQL does not name the principal of a token it refuses.
        this.config.log(`refused an access token: ${check.refused}`);
        return { refused: [loginFailedFor('<token-identified principal>')] };
      }
      const admin = check.principal.toLowerCase() === this.config.entra.admin.toLowerCase();
      return { userName: check.principal, admin, entra: true };
    }
    // The configured login is sa; others exist after CREATE LOGIN and reach a database through their user.
    const admin =
      login.userName.toLowerCase() === this.config.user.toLowerCase() &&
      login.password === this.config.password;
    const security = this.config.db.catalog.security;
    if (login.integratedSecurity || (!admin && !security.authenticate(login.userName, login.password))) {
      this.config.log(`login failed for user '${login.userName}'`);
      return { refused: [loginFailedFor(login.userName)] };
    }
    return { userName: login.userName, admin, entra: false };
  }

  private sessionInfo(
    login: ReturnType<typeof parseLogin7>,
    userName: string,
    admin: boolean,
    entra: boolean,
  ): ConstructorParameters<typeof Session>[2] {
    return {
      spid: this.spid,
      user: userName,
      admin,
      entra,
      hostName: login.hostName,
      appName: login.appName,
      serverName: SERVER_NAME,
      version: VERSION_TEXT,
      productVersion: PRODUCT_VERSION,
    };
  }

  private async request(m: Message): Promise<void> {
    const session = this.session!;
    const rpc = m.type === PACKET.RPC_REQUEST;
    const response = new TokenResponse(this.writer(), SERVER_NAME, rpc, () => session.inTransaction);
    if (m.ignore) {
      response.end();
      return;
    }
    const out = this.output(response);
    this.dropAfter = undefined;
    if (m.resetConnection) {
      await session.reset(this.loginDatabase, out);
      response.token(() =>
        envChangeBinary(response.w, ENV_CHANGE.RESET_CONNECTION, Buffer.alloc(0), Buffer.alloc(0)),
      );
    }
    if (this.config.faults.latencyMs > 0) await this.delay(this.config.faults.latencyMs);
    const kind = REQUEST_KINDS[m.type];
    const answered = kind ? this.config.traffic.request(kind) : undefined;
    try {
      await this.answer(m, session, out, response);
    } finally {
      answered?.();
    }
  }

  private async answer(
    m: Message,
    session: Session,
    out: StatementOutput,
    response: TokenResponse,
  ): Promise<void> {
    const rpc = m.type === PACKET.RPC_REQUEST;
    try {
      switch (m.type) {
        case PACKET.SQL_BATCH: {
          const text = parseSqlBatch(m.payload);
          this.config.traffic.statement(text);
          this.applyFaults(text);
          await session.executeBatch(text, out);
          break;
        }
        case PACKET.RPC_REQUEST:
          await this.rpc(m.payload, out, response);
          break;
        case PACKET.BULK_LOAD: {
          const bulk = parseBulkLoad(m.payload);
          await session.bulkLoad(
            bulk.columns.map((c) => c.info.type),
            bulk.rows,
            out,
          );
          break;
        }
        case PACKET.TRANSACTION_MANAGER: {
          const tm = parseTransactionManager(m.payload);
          if (tm.kind === 'begin') {
            session.setIsolationCode(tm.isolationLevel);
            await session.begin(out);
          } else if (tm.kind === 'commit') await session.commit(out);
          else if (tm.kind === 'rollback') await session.rollback(out);
          else
            throw new SqlError(
              50000,
              'The SQL Server stand-in does not support savepoints or distributed transactions.',
            );
          break;
        }
        default:
          throw new SqlError(50000, `The SQL Server stand-in does not support TDS packet type ${m.type}.`);
      }
      if (this.attention) return response.endCancelled();
    } catch (e) {
      if (e instanceof Dropped) throw e;
      if (e instanceof Cancelled || this.attention) return response.endCancelled();
      const error = asSqlError(e);
      if (error.number === 1205 && session.inTransaction) await session.rollback(out);
      response.error(error, rpc ? 'sp_executesql' : '');
    }
    response.end();
  }

  /** The latency fault: a wait that ATTENTION cuts short, as it would a slow query on SQL Server. */
  private async delay(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /** failNext answers with an error; dropConnectionAfterRows arms the row writer. */
  private applyFaults(text: string): void {
    this.dropAfter = this.config.faults.takeDrop(text);
    const failure = this.config.faults.takeFailure(text);
    if (failure) throw failure;
  }

  private async rpc(payload: Buffer, out: StatementOutput, response: TokenResponse): Promise<void> {
    const request = parseRpc(payload);
    const name = request.procName?.toLowerCase().replace(/^(sys\.|dbo\.|\[sys\]\.)/, '');
    const procId = request.procId ?? PROC_ID[name?.toUpperCase() as keyof typeof PROC_ID];
    if (request.procName !== undefined && procId === undefined && !isSystemProcedure(name!)) {
      this.config.traffic.statement(`EXEC ${request.procName}`);
      return this.callProcedure(request.procName, request.params, out, response);
    }
    const params = request.params;
    switch (procId) {
      case PROC_ID.SP_EXECUTESQL:
        return this.executeSql(statementText(params[0]), params[1]?.value ?? null, params, 2, out, response);
      case PROC_ID.SP_PREPARE:
      case PROC_ID.SP_PREPEXEC: {
        // (@handle int OUTPUT, @params nvarchar, @stmt nvarchar[, values...]): the handle comes back first.
        const prepared = { statement: statementText(params[2]), declarations: textOrNull(params[1]) };
        const handle = this.prepared.prepare(prepared);
        if (params[0]?.output) {
          response.returnValue(() => returnValue(response.w, 0, params[0]!.name, INT, handle));
        }
        if (procId === PROC_ID.SP_PREPARE) return out.done(CURRENT_COMMAND.NONE);
        return this.executeSql(prepared.statement, prepared.declarations, params, 3, out, response);
      }
      case PROC_ID.SP_EXECUTE: {
        const prepared = this.prepared.get(params[0]?.value);
        return this.executeSql(prepared.statement, prepared.declarations, params, 1, out, response);
      }
      case PROC_ID.SP_UNPREPARE:
        this.prepared.unprepare(params[0]?.value);
        return out.done(CURRENT_COMMAND.NONE);
    }
    const shown =
      request.procName ??
      Object.entries(PROC_ID)
        .find(([, id]) => id === request.procId)?.[0]
        .toLowerCase() ??
      String(request.procId);
    if (isSystemProcedure(shown)) throw notSupported(`the system procedure ${shown}`);
    throw new SqlError(2812, `Could not find stored procedure '${shown}'.`);
  }

  /**
   * Runs a parameterised statement: sp_executesql's, or a prepared one. The values are the RPC's parameters
   * from `first` on, matched to the declarations by name (or by position when sent without one); those
   * declared OUTPUT and passed as output come back as RETURNVALUE tokens.
   */
  private async executeSql(
    statement: string,
    declarations: SqlValue,
    params: RpcParam[],
    first: number,
    out: StatementOutput,
    response: TokenResponse,
  ): Promise<void> {
    this.config.traffic.statement(statement);
    const values = params.slice(first);
    const parameters = new Map<string, Typed>();
    const outputs: { ordinal: number; declaration: Declaration }[] = [];
    if (typeof declarations === 'string') {
      parseDeclarations(declarations).forEach((d, i) => {
        const given =
          values.find((v) => v.name.toLowerCase() === d.name.toLowerCase()) ??
          (values[i]?.name === '' ? values[i] : undefined);
        if (!given) {
          throw new SqlError(
            8178,
            `The parameterized query '(${declarations})${statement.slice(0, 100)}' expects the parameter '${d.name}', which was not supplied.`,
          );
        }
        // Only a parameter declared OUTPUT and passed as output comes back, as a RETURNVALUE.
        if (given.output && d.output) outputs.push({ ordinal: params.indexOf(given), declaration: d });
        parameters.set(d.name.toLowerCase(), {
          type: d.type,
          value: convert(given.value, given.info.type, d.type),
        });
      });
    }
    this.applyFaults(statement);
    const session = this.session!;
    await session.executeBatch(statement, out, parameters);
    for (const { ordinal, declaration } of outputs) {
      const value = session.variable(declaration.name)?.value ?? null;
      response.returnValue(() => returnValue(response.w, ordinal, declaration.name, declaration.type, value));
    }
  }

  /** An RPC naming a procedure created with CREATE PROCEDURE: its OUTPUT parameters come back as RETURNVALUEs. */
  private async callProcedure(
    procName: string,
    params: ReturnType<typeof parseRpc>['params'],
    out: StatementOutput,
    response: TokenResponse,
  ): Promise<void> {
    const session = this.session!;
    this.applyFaults(procName);
    const args = params.map((p) => ({
      name: p.name || undefined,
      value: { type: p.info.type, value: p.value } as Typed,
      output: p.output,
    }));
    const result = await session.callProcedure(parseObjectName(procName), args, out);
    response.status = result.status;
    for (const o of result.outputs) {
      response.returnValue(() =>
        returnValue(response.w, o.index, params[o.index]!.name || o.name, o.value.type, o.value.value),
      );
    }
  }

  private output(response: TokenResponse): StatementOutput {
    let rowsSent = 0;
    return {
      columns: (columns, order) => {
        // Refused before the first byte of COLMETADATA, so the error ends a well-formed message.
        for (const c of columns) refuseClrType(c.type);
        response.token(() => colMetadata(response.w, columns));
        if (order) response.token(() => orderToken(response.w, order));
        const options = this.session!.options;
        const encoders = columns.map((c) => {
          const encode = valueEncoder(c.type, c.nullable);
          if (!options.limits(c.type)) return encode;
          return (w: BufferWriter, v: SqlValue): void => encode(w, options.limit(c.type, v));
        });
        const w = response.w;
        return (row: SqlValue[]) => {
          w.u8(TOKEN.ROW);
          for (let i = 0; i < encoders.length; i++) encoders[i]!(w, row[i]!);
          rowsSent++;
          if (this.dropAfter !== undefined && rowsSent >= this.dropAfter) this.drop(response);
        };
      },
      done: (command, rowCount) => response.statementDone(command, rowCount),
      info: (number, message, details) => response.info(number, message, details),
      error: (error, procName) => response.statementError(error, procName),
      databaseChanged: (newName, oldName) =>
        response.token(() => envChange(response.w, ENV_CHANGE.DATABASE, newName, oldName)),
      transactionChanged: (kind, descriptor) =>
        response.token(() => {
          if (kind === 'begin')
            envChangeBinary(response.w, ENV_CHANGE.BEGIN_TRAN, descriptor, Buffer.alloc(0));
          else
            envChangeBinary(
              response.w,
              kind === 'commit' ? ENV_CHANGE.COMMIT_TRAN : ENV_CHANGE.ROLLBACK_TRAN,
              Buffer.alloc(0),
              descriptor,
            );
        }),
      sleep: async (ms) => {
        await this.delay(ms);
        if (this.attention) throw new Cancelled();
      },
      procedureStarted: () => response.procedureStarted(),
      procedureEnded: (status) => response.procedureEnded(status),
      pace: () => {
        response.writer.flushFull();
        if (this.attention) throw new Cancelled();
        if (this.socket.destroyed) throw new Dropped();
        if (this.transport.writableLength <= BACKLOG_LIMIT) return undefined;
        return this.waitForDrain().then(() => {
          if (this.attention) throw new Cancelled();
        });
      },
    };
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.transport.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.transport.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Sends the rows written so far, then closes the connection: the dropConnectionAfterRows fault. */
  private drop(response: TokenResponse): never {
    this.config.log(`dropping the connection after ${this.dropAfter} rows (fault)`);
    response.writer.flushFull();
    response.writer.sendPartial();
    this.state = 'closed';
    this.transport.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
    throw new Dropped();
  }
}

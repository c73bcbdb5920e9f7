/**
 * Logged-in clients: their session and master tokens (with expiry), and the statements they ran, kept
 * for result fetches, chunk downloads, status queries and retried requests.
 */
import { randomBytes } from 'node:crypto';
import type { SnowflakeError } from './errors';
import { auth } from './errors';
import type { Session } from './engine/session';

export const SESSION_VALIDITY_SECONDS = 3600;
export const MASTER_VALIDITY_SECONDS = 4 * 3600;

/** The JSON body of an answer (always HTTP 200; `success` tells). */
export type Reply = Record<string, unknown>;

export interface QueryRecord {
  queryId: string;
  requestId: string | undefined;
  sql: string;
  status: 'RUNNING' | 'SUCCESS' | 'FAILED_WITH_ERROR';
  startMs: number;
  endMs?: number;
  error?: SnowflakeError;
  reply: Promise<Reply>;
  /** Result chunk bodies, downloaded by the driver after the first answer. */
  chunks: string[];
}

/** How many past statements a session keeps, and how many of them keep their result chunks. */
const KEPT_QUERIES = 50;
const KEPT_CHUNKED = 8;

/** Tokens carry a mark of the stand-in, so a token it issued can be told from one it never did. */
const TOKEN_MARK = 'ver:1-standin-';
const newToken = () => TOKEN_MARK + randomBytes(24).toString('base64url');

/** An unknown token: a session that is gone (logout, restart) if the stand-in issued it, else invalid. */
const unknownToken = (token: string | undefined): SnowflakeError =>
  token?.startsWith(TOKEN_MARK) ? auth.sessionGone() : auth.invalidToken();

export class ClientSession {
  token = newToken();
  readonly masterToken = newToken();
  tokenExpiresAt = Date.now() + SESSION_VALIDITY_SECONDS * 1000;
  readonly masterExpiresAt = Date.now() + MASTER_VALIDITY_SECONDS * 1000;
  private readonly queries = new Map<string, QueryRecord>();
  private readonly requests = new Map<string, QueryRecord>();

  constructor(readonly session: Session) {}

  remember(record: QueryRecord): void {
    this.queries.set(record.queryId, record);
    if (record.requestId) this.requests.set(record.requestId, record);
    if (this.queries.size > KEPT_QUERIES) {
      const oldest = this.queries.values().next().value as QueryRecord;
      this.queries.delete(oldest.queryId);
      if (oldest.requestId) this.requests.delete(oldest.requestId);
    }
    const records = [...this.queries.values()];
    for (const r of records.slice(0, Math.max(0, records.length - KEPT_CHUNKED))) r.chunks = [];
  }

  query(queryId: string): QueryRecord | undefined {
    return this.queries.get(queryId);
  }

  /** A request the driver sends again (after a dropped connection) gets the first one's answer. */
  byRequestId(requestId: string): QueryRecord | undefined {
    return this.requests.get(requestId);
  }
}

/** The token in `Authorization: Snowflake Token="..."`. */
function tokenOf(header: string | undefined): string | undefined {
  return /Snowflake Token="([^"]*)"/.exec(header ?? '')?.[1];
}

export class SessionRegistry {
  private readonly byToken = new Map<string, ClientSession>();
  private readonly byMaster = new Map<string, ClientSession>();

  add(session: Session): ClientSession {
    const client = new ClientSession(session);
    this.byToken.set(client.token, client);
    this.byMaster.set(client.masterToken, client);
    return client;
  }

  /** The session of a request's session token; 390111 or 390104 when unknown, 390112 when expired. */
  authenticate(header: string | undefined): ClientSession {
    const token = tokenOf(header);
    const client = this.byToken.get(token ?? '');
    if (!client) throw unknownToken(token);
    if (Date.now() >= client.tokenExpiresAt) throw auth.sessionExpired();
    return client;
  }

  /** Token renewal with the master token: a new session token replaces the old one. */
  renew(header: string | undefined): ClientSession {
    const token = tokenOf(header);
    const client = this.byMaster.get(token ?? '');
    if (!client) throw unknownToken(token);
    if (Date.now() >= client.masterExpiresAt) throw auth.masterExpired();
    this.byToken.delete(client.token);
    client.token = newToken();
    client.tokenExpiresAt = Date.now() + SESSION_VALIDITY_SECONDS * 1000;
    this.byToken.set(client.token, client);
    return client;
  }

  expireAll(): void {
    for (const client of this.byToken.values()) client.tokenExpiresAt = 0;
  }

  remove(client: ClientSession): void {
    this.byToken.delete(client.token);
    this.byMaster.delete(client.masterToken);
  }

  all(): ClientSession[] {
    return [...this.byMaster.values()];
  }

  /** Chunk downloads carry no token (Snowflake serves them from presigned URLs). */
  findQuery(queryId: string): QueryRecord | undefined {
    for (const client of this.byMaster.values()) {
      const record = client.query(queryId);
      if (record) return record;
    }
    return undefined;
  }
}

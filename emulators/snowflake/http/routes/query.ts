/**
 * Statements: POST /queries/v1/query-request (sync and asyncExec), GET /queries/<id>/result,
 * abort requests, GET /monitoring/queries/<id>, and the result chunks of large answers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bindsFromRequest } from '../../engine/binds';
import { snowflakeErrorOf } from '../../engine/duck';
import type { Engine } from '../../engine/engine';
import { responseParameters } from '../../engine/parameters';
import { STATEMENT_TYPE, text, type StatementResult } from '../../engine/result';
import { splitStatements, statementCount } from '../../engine/engine';
import type { BindValue } from '../../engine/binds';
import { SnowflakeError, unsupported } from '../../errors';
import type { TrafficMeter } from '../../../shared/traffic';
import type { Faults } from '../../faults';
import { encodeRows, rowTypeEntry } from '../../results/encode';
import type { ClientSession, QueryRecord, Reply, SessionRegistry } from '../../sessions';
import { failure, readJson, sendJson, success } from '../respond';

export interface QueryContext {
  engine: Engine;
  registry: SessionRegistry;
  faults: Faults;
  /** Counts the requests and keeps the statements received (tests pin what a table costs). */
  traffic: TrafficMeter;
  /** http://host:port, for the absolute URLs of result chunks. */
  baseUrl(): string;
}

/** 333334: the statement runs on; its result is fetched later by query id. */
const QUERY_IN_PROGRESS_ASYNC = '333334';

/** 000709 (02000): no statement with that id in this session. */
const unknownStatement = (queryId: string) =>
  new SnowflakeError('000709', '02000', `Statement ${queryId} not found`);

function answer(
  ctx: QueryContext,
  client: ClientSession,
  record: QueryRecord,
  result: StatementResult,
  bindCount: number,
): Reply {
  const id = client.session.identity;
  const common = {
    queryId: record.queryId,
    finalDatabaseName: id.database,
    finalSchemaName: id.schema,
    finalWarehouseName: id.warehouse,
    finalRoleName: id.role,
    databaseProvider: null,
  };
  if (result.kind === 'transfer') return success({ ...result.data, ...common });
  const encoded = encodeRows(
    result.columns.map((c) => c.type),
    result.rows,
  );
  record.chunks = encoded.chunks.map((c) => c.body);
  return success({
    ...common,
    parameters: responseParameters(client.session.params),
    rowtype: result.columns.map((c) => rowTypeEntry(c.name, c.type, c.nullable ?? true)),
    rowset: encoded.rowset,
    total: encoded.total,
    returned: encoded.total,
    numberOfBinds: bindCount,
    arrayBindSupported: true,
    statementTypeId: result.statementTypeId,
    version: 1,
    sendResultTime: Date.now(),
    queryResultFormat: 'json',
    chunks: encoded.chunks.map((c, k) => ({
      url: `${ctx.baseUrl()}/emulator/chunks/${record.queryId}/${k}`,
      rowCount: c.rowCount,
      uncompressedSize: Buffer.byteLength(c.body),
      compressedSize: Buffer.byteLength(c.body),
    })),
    chunkHeaders: {},
  });
}

export async function queryRequest(
  ctx: QueryContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const client = ctx.registry.authenticate(req.headers.authorization);
  const body = await readJson(req);
  const requestId = url.searchParams.get('requestId') ?? undefined;
  const earlier = requestId === undefined ? undefined : client.byRequestId(requestId);
  if (earlier) {
    sendJson(res, await earlier.reply);
    return;
  }
  const sql = String(body.sqlText ?? '');
  ctx.traffic.statement(sql);
  const binds = bindsFromRequest(body.bindings);
  // describeOnly asks for the result's columns without running the statement: only a query can
  // be run for that without effects.
  if (body.describeOnly === true && !/^\s*(\(|SELECT\b|WITH\b)/i.test(sql)) {
    sendJson(res, failure(unsupported('describeOnly for statements other than queries')));
    return;
  }
  const record = newRecord(sql, requestId);
  const statements = splitStatements(sql);
  record.reply =
    statements.length > 1
      ? runMany(ctx, client, record, statements, binds, multiStatementCount(body, client))
      : runOne(ctx, client, record, sql, binds, body.describeOnly === true);
  client.remember(record);
  if (body.asyncExec === true) {
    sendJson(res, {
      ...success({
        queryId: record.queryId,
        getResultUrl: `/queries/${record.queryId}/result?disableOfflineChunks=false`,
      }),
      code: QUERY_IN_PROGRESS_ASYNC,
    });
    return;
  }
  if (ctx.faults.takeDrop(sql)) {
    // The connection goes while the statement runs on; the driver's retry (same requestId) gets its answer.
    req.socket.destroy();
    return;
  }
  sendJson(res, await record.reply);
}

function newRecord(sql: string, requestId: string | undefined): QueryRecord {
  return {
    queryId: randomUUID(),
    requestId,
    sql,
    status: 'RUNNING',
    startMs: Date.now(),
    chunks: [],
    reply: Promise.resolve({}),
  };
}

function finish(record: QueryRecord, error?: SnowflakeError): void {
  record.status = error ? 'FAILED_WITH_ERROR' : 'SUCCESS';
  record.endMs = Date.now();
  record.error = error;
}

function runOne(
  ctx: QueryContext,
  client: ClientSession,
  record: QueryRecord,
  sql: string,
  binds: BindValue[],
  describeOnly: boolean,
): Promise<Reply> {
  return ctx.engine.execute(client.session, sql, binds, record.queryId).then(
    async (result) => {
      const cost = ctx.faults.copyCostMs(sql, result.kind === 'rows' ? result.rows.length : 0);
      if (cost > 0) await sleep(cost);
      finish(record);
      if (describeOnly && result.kind === 'rows') result.rows = [];
      return answer(ctx, client, record, result, binds.length);
    },
    (err: unknown) => {
      finish(record, snowflakeErrorOf(err));
      return failure(record.error!, record.queryId);
    },
  );
}

/** The request's MULTI_STATEMENT_COUNT, else the session's. */
function multiStatementCount(body: Record<string, unknown>, client: ClientSession): number {
  const given = (body.parameters as Record<string, unknown> | undefined)?.MULTI_STATEMENT_COUNT;
  return given === undefined ? client.session.params.MULTI_STATEMENT_COUNT : Number(given);
}

/**
 * A multi-statement request: each statement runs in turn as a query of its own (binds handed out in
 * order); the answer names them in `resultIds` and the driver fetches each result by id. The first
 * failure ends the request with that statement's error, as in Snowflake.
 */
async function runMany(
  ctx: QueryContext,
  client: ClientSession,
  record: QueryRecord,
  statements: { sql: string; binds: number }[],
  binds: BindValue[],
  desired: number,
): Promise<Reply> {
  if (desired !== 0 && desired !== statements.length) {
    finish(record, statementCount(statements.length, desired));
    return failure(record.error!, record.queryId);
  }
  const ids: string[] = [];
  let next = 0;
  for (const statement of statements) {
    const child = newRecord(statement.sql, undefined);
    child.reply = runOne(ctx, client, child, statement.sql, binds.slice(next, next + statement.binds), false);
    client.remember(child);
    next += statement.binds;
    const reply = await child.reply;
    if (child.error) {
      finish(record, child.error);
      return reply;
    }
    ids.push(child.queryId);
  }
  finish(record);
  const reply = answer(
    ctx,
    client,
    record,
    {
      kind: 'rows',
      columns: [text('multiple statement execution')],
      rows: [['Multiple statements executed successfully.']],
      statementTypeId: STATEMENT_TYPE.SELECT,
    },
    binds.length,
  );
  return { ...reply, data: { ...(reply.data as Record<string, unknown>), resultIds: ids.join(',') } };
}

export async function queryResult(ctx: QueryContext, req: IncomingMessage, queryId: string): Promise<Reply> {
  const client = ctx.registry.authenticate(req.headers.authorization);
  const record = client.query(queryId);
  if (!record) throw unknownStatement(queryId);
  return record.reply;
}

export async function abortRequest(
  ctx: QueryContext,
  req: IncomingMessage,
  queryId: string | undefined,
): Promise<Reply> {
  const client = ctx.registry.authenticate(req.headers.authorization);
  const body = await readJson(req);
  const record =
    queryId !== undefined ? client.query(queryId) : client.byRequestId(String(body.requestId ?? ''));
  if (record?.status === 'RUNNING') client.session.interrupt();
  return success(null);
}

export function queryStatus(ctx: QueryContext, req: IncomingMessage, queryId: string): Reply {
  const client = ctx.registry.authenticate(req.headers.authorization);
  const record = client.query(queryId);
  const queries = record
    ? [
        {
          id: record.queryId,
          status: record.status,
          sqlText: record.sql,
          startTime: record.startMs,
          endTime: record.endMs ?? 0,
          errorCode: record.error?.code ?? null,
          errorMessage: record.error?.message ?? null,
        },
      ]
    : [];
  return success({ queries });
}

export function chunk(ctx: QueryContext, res: ServerResponse, queryId: string, index: number): void {
  const body = ctx.registry.findQuery(queryId)?.chunks[index];
  if (body === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('no such result chunk');
    return;
  }
  // Chunks are rows without the outer brackets, served as a binary object the way cloud storage does.
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Statements: POST /queries/v1/query-request (sync and asyncExec), GET /queries/<id>/result,
 * abort requests, GET /monitoring/queries/<id>, and the result chunks of large answers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bindsFromRequest } from '../../engine/binds';
import { snowflakeErrorOf } from '../../engine/duck';
import type { Engine } from '../../engine/engine';
import { responseParameters } from '../../engine/parameters';
import type { StatementResult } from '../../engine/result';
import { SnowflakeError, unsupported } from '../../errors';
import type { Faults } from '../../faults';
import { encodeRows, rowTypeEntry } from '../../results/encode';
import type { ClientSession, QueryRecord, Reply, SessionRegistry } from '../../sessions';
import { failure, readJson, sendJson, success } from '../respond';

export interface QueryContext {
  engine: Engine;
  registry: SessionRegistry;
  faults: Faults;
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
  const binds = bindsFromRequest(body.bindings);
  // describeOnly asks for the result's columns without running the statement: only a query can
  // be run for that without effects.
  if (body.describeOnly === true && !/^\s*(\(|SELECT\b|WITH\b)/i.test(sql)) {
    sendJson(res, failure(unsupported('describeOnly for statements other than queries')));
    return;
  }
  const record: QueryRecord = {
    queryId: randomUUID(),
    requestId,
    sql,
    status: 'RUNNING',
    startMs: Date.now(),
    chunks: [],
    reply: Promise.resolve({}),
  };
  record.reply = ctx.engine.execute(client.session, sql, binds, record.queryId).then(
    (result) => {
      record.status = 'SUCCESS';
      record.endMs = Date.now();
      if (body.describeOnly === true && result.kind === 'rows') result.rows = [];
      return answer(ctx, client, record, result, binds.length);
    },
    (err: unknown) => {
      record.status = 'FAILED_WITH_ERROR';
      record.endMs = Date.now();
      record.error = snowflakeErrorOf(err);
      return failure(record.error, record.queryId);
    },
  );
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
  if (record?.status === 'RUNNING') client.session.connection.interrupt();
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

/** The HTTP server the driver talks to: routing, injected faults, and a clean shutdown. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { snowflakeErrorOf } from '../engine/duck';
import type { AlterValuesFault, Faults } from '../faults';
import { failure, readJson, sendJson, success } from './respond';
import { heartbeat, login, logout, renewToken, telemetry, type LoginContext } from './routes/login';
import {
  abortRequest,
  chunk,
  queryRequest,
  queryResult,
  queryStatus,
  type QueryContext,
} from './routes/query';

export type ServerContext = LoginContext & QueryContext;

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  match: RegExpExecArray,
) => Promise<unknown> | unknown;

/** Routes answer with a JSON body, or write the response themselves and answer undefined. */
function routes(ctx: ServerContext): [method: string, path: RegExp, handler: Handler][] {
  return [
    ['POST', /^\/session\/v1\/login-request$/, (req, _res, url) => login(ctx, req, url)],
    ['POST', /^\/session\/token-request$/, (req) => renewToken(ctx, req)],
    ['POST', /^\/session\/heartbeat$/, (req) => heartbeat(ctx, req)],
    ['POST', /^\/session$/, (req) => logout(ctx, req)],
    ['POST', /^\/telemetry\/send$/, (req) => telemetry(req)],
    ['POST', /^\/queries\/v1\/query-request$/, (req, res, url) => queryRequest(ctx, req, res, url)],
    ['GET', /^\/queries\/([^/]+)\/result$/, (req, _res, _url, m) => queryResult(ctx, req, m[1]!)],
    ['POST', /^\/queries\/v1\/abort-request$/, (req) => abortRequest(ctx, req, undefined)],
    ['POST', /^\/queries\/([^/]+)\/abort-request$/, (req, _res, _url, m) => abortRequest(ctx, req, m[1]!)],
    ['GET', /^\/monitoring\/queries\/([^/]+)$/, (req, _res, _url, m) => queryStatus(ctx, req, m[1]!)],
    [
      'GET',
      /^\/emulator\/chunks\/([^/]+)\/(\d+)$/,
      (_req, res, _url, m) => chunk(ctx, res, m[1]!, Number(m[2])),
    ],
    ['POST', /^\/emulator\/faults$/, (req) => faultRequest(ctx.faults, req)],
  ];
}

/** POST /emulator/faults {"httpErrors": {...}, "expireSessions": true, "dropConnection": {...}, "latency": ms, "copyFileMs": ms, "alterLoadedValues": {...}, "clear": true} */
async function faultRequest(faults: Faults, req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readJson(req);
  if (body.clear) faults.clear();
  if (body.httpErrors) faults.httpErrors(body.httpErrors as Parameters<Faults['httpErrors']>[0]);
  if (body.expireSessions) faults.expireSessions();
  if (body.dropConnection) {
    const drop = body.dropConnection as { during: string; count?: number };
    const during =
      drop.during === 'PUT' || drop.during === 'COPY' ? drop.during : new RegExp(drop.during, 'i');
    faults.dropConnection({ during, count: drop.count });
  }
  if (typeof body.latency === 'number') faults.setLatency(body.latency);
  if (typeof body.copyFileMs === 'number') faults.setCopyFileCost(body.copyFileMs);
  if (body.alterLoadedValues) faults.alterLoadedValues(body.alterLoadedValues as AlterValuesFault);
  return success(null);
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startServer(ctx: ServerContext, host: string, port: number): Promise<RunningServer> {
  const table = routes(ctx);
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    const injected = ctx.faults.takeHttpError(url.pathname + url.search);
    if (injected !== undefined) {
      req.resume();
      res.writeHead(injected, { 'Content-Type': 'text/plain' });
      res.end(`Fault injected by the Snowflake stand-in: HTTP ${injected}`);
      return;
    }
    for (const [method, path, handler] of table) {
      const match = path.exec(url.pathname);
      if (!match || req.method !== method) continue;
      const answered = ctx.traffic.request(`${method} ${path.source.replace(/^\^|\$$|\\/g, '')}`);
      try {
        const body = await handler(req, res, url, match);
        if (body !== undefined && !res.headersSent) sendJson(res, body);
      } catch (err) {
        const error = snowflakeErrorOf(err);
        if (!res.headersSent) sendJson(res, failure(error), error.httpStatus);
      } finally {
        answered();
      }
      return;
    }
    req.resume();
    sendJson(
      res,
      { success: false, message: `The Snowflake stand-in has no ${req.method} ${url.pathname}` },
      404,
    );
  };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  let back: NodeJS.Timeout | undefined;
  ctx.faults.bindServer((forMs) => {
    clearTimeout(back);
    void stop();
    back = setTimeout(() => server.listen(boundPort, host), forMs);
  });
  return {
    server,
    port: boundPort,
    close: () => {
      clearTimeout(back);
      return server.listening ? stop() : Promise.resolve();
    },
  };
}

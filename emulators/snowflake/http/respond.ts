/** Request bodies in, JSON answers out, as the driver expects them. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { SnowflakeError } from '../errors';

/** The driver gzips request bodies when its compression finishes in time: inflate only gzip data. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  let body = Buffer.concat(parts);
  if (body.length === 0) return {};
  if (body[0] === 0x1f && body[1] === 0x8b) body = gunzipSync(body);
  return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function success(data: unknown): Record<string, unknown> {
  return { data, code: null, message: null, success: true };
}

/** Errors go out with success false (HTTP 200 but for authentication); the driver raises them with `code` and `sqlState`. */
export function failure(err: SnowflakeError, queryId?: string): Record<string, unknown> {
  return {
    data: {
      errorCode: err.code,
      sqlState: err.sqlState,
      queryId: queryId ?? null,
      internalError: false,
      line: err.place.line,
      pos: err.place.pos,
      ...(err.compilation ? { type: 'COMPILATION' } : {}),
    },
    code: err.code,
    message: err.message,
    success: false,
    headers: null,
  };
}

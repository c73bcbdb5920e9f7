/**
 * A stand-in for an OpenTelemetry collector's OTLP/HTTP receiver, on loopback: it records the spans
 * POSTed to /v1/traces as OTLP's JSON encoding (what @opentelemetry/exporter-trace-otlp-http sends) and
 * answers as the spec says, an ExportTraceServiceResponse; the binary protobuf encoding, which it cannot
 * read, is refused with 415 rather than guessed at. https://opentelemetry.io/docs/specs/otlp/#otlphttp
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

type AttributeValue = string | number | boolean;

export interface RecordedSpan {
  name: string;
  /** Hex, as OTLP's JSON encoding writes ids. */
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, AttributeValue>;
  /** The resource's attributes (`service.name`...). */
  resource: Record<string, AttributeValue>;
}

export interface OtlpCollector {
  /** The base URL, as worker.tracing.otlpEndpoint takes it. */
  url: string;
  /** Every span received so far, in order of arrival. */
  spans(): RecordedSpan[];
  /** Export requests received so far, whatever they held (refused ones too). */
  requests(): number;
  close(): Promise<void>;
}

interface KeyValue {
  key: string;
  value: {
    stringValue?: string;
    intValue?: number | string;
    doubleValue?: number;
    boolValue?: boolean;
  };
}

interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      spans?: {
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: KeyValue[];
      }[];
    }[];
  }[];
}

/** OTLP JSON writes 64-bit integers as decimal strings or numbers; the scalars are all these tests read. */
function attributes(list: KeyValue[] = []): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const { key, value } of list) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const received: RecordedSpan[] = [];
  let requests = 0;
  const record = (request: ExportTraceServiceRequest) => {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributes(resourceSpans.resource?.attributes);
      for (const scope of resourceSpans.scopeSpans ?? [])
        for (const span of scope.spans ?? [])
          received.push({
            name: span.name,
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            attributes: attributes(span.attributes),
            resource,
          });
    }
  };
  const server = createServer((req, res) => {
    requests += 1;
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/v1/traces') return reply(404, { message: 'not found' });
    if (!req.headers['content-type']?.startsWith('application/json'))
      return reply(415, { message: 'this collector stand-in reads OTLP/HTTP JSON only' });
    body(req)
      .then((raw) => record(JSON.parse(raw.toString('utf8')) as ExportTraceServiceRequest))
      // A full success is an empty ExportTraceServiceResponse.
      .then(
        () => reply(200, {}),
        (err: Error) => reply(400, { message: err.message }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

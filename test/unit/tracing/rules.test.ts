import { ConfigError, parseConfig } from '../../../src/config/load';
import {
  activitySpanAttributes,
  bundleHasTracing,
  endpointOrigin,
  otlpTracesUrl,
} from '../../../src/tracing/rules';

const task = {
  index: 1,
  source: { schema: 'dbo', table: 'orders' },
  keyColumns: ['id'],
  target: { database: 'STEVE_MCP', schema: 'DATA_MIGRATION', name: 'ORDERS' },
};

describe('otlpTracesUrl', () => {
  // https://opentelemetry.io/docs/specs/otel/protocol/exporter/#endpoint-urls-for-otlphttp
  it('appends v1/traces to the base URL, keeping its path, as OTEL_EXPORTER_OTLP_ENDPOINT does', () => {
    expect(otlpTracesUrl('http://otel-collector:4318')).toBe('http://otel-collector:4318/v1/traces');
    expect(otlpTracesUrl('http://otel-collector:4318/')).toBe('http://otel-collector:4318/v1/traces');
    expect(otlpTracesUrl('https://ingest.example.com/otlp')).toBe(
      'https://ingest.example.com/otlp/v1/traces',
    );
  });

  it('logs show only the origin: no credentials, path or query', () => {
    expect(endpointOrigin('https://user:s3cret@ingest.example.com:4318/otlp?key=abc')).toBe(
      'https://ingest.example.com:4318',
    );
  });
});

describe('activitySpanAttributes', () => {
  it("names copyBatch's table and batch number, and no key values", () => {
    const batch = { index: 17, lower: ['120000'], upper: ['130000'] };
    expect(activitySpanAttributes([{ task, batch, loadMethod: 'copy' }])).toEqual({
      'migrator.table': 'dbo.orders',
      'migrator.batch': 17,
    });
  });

  it("names applyChanges' table and round, and a table step's table alone", () => {
    expect(activitySpanAttributes([{ task, round: 3, lastVersion: '12' }])).toEqual({
      'migrator.table': 'dbo.orders',
      'migrator.round': 3,
    });
    expect(
      activitySpanAttributes([{ task: { ...task, source: { schema: 'sales', table: 'Order Lines' } } }]),
    ).toEqual({
      'migrator.table': 'sales.[Order Lines]',
    });
  });

  it('adds nothing for activities that work on no one table', () => {
    expect(activitySpanAttributes([])).toEqual({});
    expect(activitySpanAttributes([{ status: 'succeeded' }])).toEqual({});
    expect(activitySpanAttributes(['dbo.orders'])).toEqual({});
  });
});

describe('bundleHasTracing', () => {
  it("tells a bundle with the OpenTelemetry workflow interceptors by the interceptor's class", () => {
    expect(bundleHasTracing('var x = 1;\nclass OpenTelemetryInboundInterceptor {\n')).toBe(true);
    expect(bundleHasTracing('var x = 1;\nfunction migrateTables() {}\n')).toBe(false);
  });
});

describe('worker.tracing in the config', () => {
  const minimal = {
    source: { server: 'sql.example.com', database: 'Sales', user: 'migrator' },
    target: { account: 'xy12345.eu-central-1', user: 'MIGRATOR' },
  };
  const withTracing = (tracing: unknown) => parseConfig({ ...minimal, worker: { tracing } }, 'test', {});

  it('is off unless otlpEndpoint is set', () => {
    expect(parseConfig(minimal, 'test', {}).worker.tracing).toEqual({});
    expect(withTracing({ otlpEndpoint: 'http://otel-collector:4318' }).worker.tracing.otlpEndpoint).toBe(
      'http://otel-collector:4318',
    );
  });

  it('takes the endpoint from the environment like any field', () => {
    const config = parseConfig(minimal, 'test', {
      MIGRATOR_WORKER__TRACING__OTLP_ENDPOINT: 'https://ingest.example.com/otlp',
    });
    expect(config.worker.tracing.otlpEndpoint).toBe('https://ingest.example.com/otlp');
  });

  it('refuses what is not an http(s) URL, naming the field', () => {
    for (const otlpEndpoint of ['otel-collector:4318', 'grpc://otel-collector:4317']) {
      expect(() => withTracing({ otlpEndpoint })).toThrow(ConfigError);
      expect(() => withTracing({ otlpEndpoint })).toThrow(
        'worker.tracing.otlpEndpoint: expected the http(s) base URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318',
      );
    }
  });
});

/**
 * What tracing needs that is pure: where OTLP/HTTP spans go, what an activity's span says about its work,
 * and whether a prebuilt workflow bundle carries the tracing interceptors.
 */
import { z } from 'zod';
import { BatchRangeSchema, SourceTableRefSchema } from '../contracts/table';
import { displayTableName } from '../names/sqlserver-names';

/**
 * worker.tracing.otlpEndpoint is a base URL, as OTEL_EXPORTER_OTLP_ENDPOINT is: spans go to its path +
 * `v1/traces` (`http://collector:4318` -> `http://collector:4318/v1/traces`, `https://host/otlp` ->
 * `https://host/otlp/v1/traces`). https://opentelemetry.io/docs/specs/otel/protocol/exporter/#endpoint-urls-for-otlphttp
 */
export function otlpTracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/traces`;
  return url.toString();
}

/** The endpoint as logs may show it: scheme, host and port; no credentials, path or query. */
export function endpointOrigin(endpoint: string): string {
  return new URL(endpoint).origin;
}

/**
 * Attributes of the migrator's own, named under `migrator.` as OpenTelemetry asks of attributes outside
 * its semantic conventions (https://opentelemetry.io/docs/specs/semconv/general/naming/). No key values:
 * a batch's key range can hold personal data, and traces often leave the company; the Web UI's activity
 * summary has the range.
 */
export const SPAN_ATTRIBUTES = {
  /** The source table, `dbo.orders`. */
  table: 'migrator.table',
  /** copyBatch: the batch's number in its table (the report's and the Web UI's `#17`). */
  batch: 'migrator.batch',
  /** applyChanges: the change round's number. */
  round: 'migrator.round',
} as const;

/** The part of a table activity's input (copyBatch, planBatches, validateTable, applyChanges...) spans name. */
const TableActivityInputSchema = z.object({
  task: z.object({ source: SourceTableRefSchema }),
  batch: BatchRangeSchema.pick({ index: true }).optional(),
  round: z.number().int().optional(),
});

/** The attributes for an activity called with `args`: none for activities that work on no one table. */
export function activitySpanAttributes(args: readonly unknown[]): Record<string, string | number> {
  const input = TableActivityInputSchema.safeParse(args[0]);
  if (!input.success) return {};
  const { task, batch, round } = input.data;
  return {
    [SPAN_ATTRIBUTES.table]: displayTableName(task.source),
    ...(batch ? { [SPAN_ATTRIBUTES.batch]: batch.index } : {}),
    ...(round !== undefined ? { [SPAN_ATTRIBUTES.round]: round } : {}),
  };
}

/**
 * Whether a workflow bundle was built with the OpenTelemetry workflow interceptors
 * (`npm run build:workflows -- --tracing`): a worker given a prebuilt bundle cannot add them, since the
 * SDK ignores `interceptors.workflowModules` beside a bundle ("pass them in the call to
 * bundleWorkflowCode"). The bundler's development build keeps the interceptor's class name as written.
 */
export function bundleHasTracing(code: string): boolean {
  return code.includes('class OpenTelemetryInboundInterceptor');
}

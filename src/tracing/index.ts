/**
 * OpenTelemetry traces of workflows and activities (worker.tracing.otlpEndpoint), through Temporal's own
 * interceptors package, wired as its sample wires it: workflow interceptors bundled with the workflows,
 * their spans handed out of the sandbox through the `exporter` sink to the worker's span processor,
 * activity interceptors that continue the trace carried in the activity's headers, spans sent over
 * OTLP/HTTP in batches.
 * https://docs.temporal.io/develop/typescript/observability#tracing
 * https://github.com/temporalio/samples-typescript/tree/main/interceptors-opentelemetry
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInboundCallsInterceptor, WorkerOptions } from '@temporalio/worker';
import { activitySpanAttributes, otlpTracesUrl } from './rules';

/** The resource every span carries (`service.name`, https://opentelemetry.io/docs/specs/semconv/resource/#service). */
export const SERVICE_NAME = 'sqlserver-snowflake-migrator';

/**
 * The workflow interceptors, for the bundler: a worker that bundles the workflows at start-up gets them as
 * `interceptors.workflowModules`, a prebuilt bundle as bundleWorkflowCode's `workflowInterceptorModules`.
 */
export const TRACING_WORKFLOW_MODULES = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/**
 * Once per process: the activity interceptor reads the trace from the activity's headers with the global
 * propagator (W3C trace context, as the workflow side writes it), and the attributes below find the
 * activity's span as the active one, which needs a context manager. Both are globals in OpenTelemetry's
 * API; registering again is refused harmlessly, so several workers in a process share them.
 */
let propagationRegistered = false;
function registerContextPropagation(): void {
  if (propagationRegistered) return;
  propagationRegistered = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/** Puts the table and batch on the span of the activity it runs in (after the OpenTelemetry interceptor). */
class SpanAttributesInterceptor implements ActivityInboundCallsInterceptor {
  execute: ActivityInboundCallsInterceptor['execute'] = (input, next) => {
    trace.getActiveSpan()?.setAttributes(activitySpanAttributes(input.args));
    return next(input);
  };
}

export interface Tracing {
  /** Worker options that trace; `bundled`: the worker bundles the workflows itself (workflowsPath). */
  workerOptions(bundled: boolean): Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /** Sends the spans not sent yet and stops; call once the worker has stopped. */
  shutdown(): Promise<void>;
}

export function startTracing(otlpEndpoint: string): Tracing {
  registerContextPropagation();
  const resource = new Resource({ 'service.name': SERVICE_NAME });
  // Batches, as OpenTelemetry advises for production: spans wait in memory and leave every few seconds.
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(otlpEndpoint) }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  // This worker's tracer, not the global one: a process may run workers with different endpoints (tests).
  const tracer = provider.getTracer(SERVICE_NAME);
  return {
    workerOptions: (bundled) => ({
      interceptors: {
        ...(bundled ? { workflowModules: TRACING_WORKFLOW_MODULES } : {}),
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
          () => ({ inbound: new SpanAttributesInterceptor() }),
        ],
      },
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    }),
    shutdown: () => provider.shutdown(),
  };
}

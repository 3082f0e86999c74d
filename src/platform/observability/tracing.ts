// OpenTelemetry traces, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (server.ts calls
// startTracing). One trace per HTTP request:
//   graphql.request → graphql.parse, graphql.validate, graphql.context, graphql.execute
//     → prisma:client:operation → prisma:client:db_query (one per SQL statement)
// The SQL spans come from @prisma/instrumentation: `db.query.text` is the statement with
// placeholders ($1, $2, …), never the parameter values. Our spans carry the method, path,
// status and operation name, never the document, variables or headers (values and keys).
import { context, type Span, SpanKind, type SpanOptions, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import type { Plugin } from 'graphql-yoga';
import { requestStateOf } from '../http/request-state.ts';

const TRACER = 'merchant-data-api';

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP collector base URL; spans go to `<endpoint>/v1/traces` in batches. */
  endpoint?: string;
  /** Tests: an exporter (InMemorySpanExporter) that gets each span as it ends. */
  exporter?: SpanExporter;
}

/** Registers the global tracer provider, context manager and Prisma instrumentation. */
export function startTracing(options: TracingOptions): { shutdown(): Promise<void> } {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint?.replace(/\/$/, '')}/v1/traces` }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  trace.setGlobalTracerProvider(provider);
  const prisma = new PrismaInstrumentation();
  prisma.setTracerProvider(provider);
  prisma.enable();
  return {
    async shutdown() {
      prisma.disable();
      await provider.shutdown();
    },
  };
}

function ended<T>(span: Span, run: () => T): T {
  const fail = (error: unknown) => {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    span.end();
  };
  let out: T;
  try {
    out = run();
  } catch (error) {
    fail(error);
    throw error;
  }
  // yoga's phases may return its own promise-likes (not `instanceof Promise`).
  if (out && typeof (out as { then?: unknown }).then === 'function') {
    return Promise.resolve(out).then(
      (value) => {
        span.end();
        return value;
      },
      (error) => {
        fail(error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return out;
}

/** Runs `wrapped` inside a new child span of the active one. */
function inSpan<T>(name: string, wrapped: () => T, options: SpanOptions = {}): T {
  const span = trace.getTracer(TRACER).startSpan(name, options);
  return context.with(trace.setSpan(context.active(), span), () => ended(span, wrapped));
}

/** The request, parse, validate, context and execute spans; register first (it wraps the rest). */
export function useTracing(): Plugin {
  const requests = new WeakMap<Request, Span>();
  const phase =
    (name: string) =>
    <T>(_payload: unknown, wrapped: () => T): T =>
      inSpan(`graphql.${name}`, wrapped);
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const attributes = {
          'http.request.method': request.method,
          'url.path': new URL(request.url, 'http://localhost').pathname,
        };
        return inSpan(
          'graphql.request',
          () => {
            requests.set(request, trace.getActiveSpan()!);
            return wrapped();
          },
          { kind: SpanKind.SERVER, attributes },
        );
      },
      parse: phase('parse'),
      validate: phase('validate'),
      context: phase('context'),
      execute: phase('execute'),
    },
    onResponse({ request, response, serverContext }) {
      const span = requests.get(request);
      if (!span) return;
      const state = requestStateOf(serverContext);
      span.setAttribute('http.response.status_code', response.status);
      if (state?.operationName) span.setAttribute('graphql.operation.name', state.operationName);
      if (state?.role) span.setAttribute('merchant.role', state.role);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    },
  };
}

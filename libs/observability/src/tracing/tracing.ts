import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { readTraceSettings, type TraceEnvironment, type TraceSettings } from './trace-settings';

interface ActiveTracing {
  settings: TraceSettings;
  provider: TracerProvider;
}

/** Tracing is process-wide (the OpenTelemetry API keeps one global provider): set up once. */
let active: ActiveTracing | undefined;

/**
 * Sets up tracing for the process, once (later calls return the first settings): W3C trace
 * context propagation, an AsyncLocalStorage context manager, and a tracer provider.
 *
 * Without an exporter every span is non-recording: its ids are still made and propagated (so log
 * lines correlate across services) but nothing is timed, recorded or buffered, which costs about
 * as little as no tracing. With one, spans go to OTLP/HTTP in batches; the decision to record is
 * the first service's, followed by the ones downstream (parent-based sampling).
 */
export function startTracing(service: string, env: TraceEnvironment = process.env): TraceSettings {
  if (active) return active.settings;
  const settings = readTraceSettings(service, env);
  const exporting = settings.exportUrl !== undefined;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    sampler: exporting
      ? new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) })
      : new AlwaysOffSampler(),
    spanProcessors: exporting
      ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.exportUrl }) })]
      : [],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  active = { settings, provider };
  return settings;
}

/** Sends the spans still buffered (on shutdown: they would be lost with the process). */
export async function flushTraces(): Promise<void> {
  await active?.provider.forceFlush();
}

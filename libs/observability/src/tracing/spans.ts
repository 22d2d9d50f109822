import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

export { SpanKind, type Context, type Span };

/** The one tracer of the platform's own spans (libraries instrument themselves, if at all). */
export function tracer() {
  return trace.getTracer('event-hub');
}

export interface SpanOptions {
  kind: SpanKind;
  attributes?: Attributes;
  /** The parent (default: the active context), e.g. what a consumed record carried. */
  parent?: Context;
}

/**
 * Runs `work` in a new span, active while it runs (log lines written meanwhile carry its trace id);
 * the span ends when `work` settles, with an error status and the exception when it throws.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(
    name,
    { kind: options.kind, attributes: options.attributes },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Marks a span failed by `error` (recorded only when the span records). */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The trace and span ids of the active span, for log lines; empty without one. */
export function activeTraceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span)
    ? { traceId: span.traceId, spanId: span.spanId }
    : {};
}

/** The trace id a `traceparent` value names, or undefined when it is not a valid one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match =
    traceparent && /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent);
  return match && match[1] !== '0'.repeat(32) ? match[1] : undefined;
}

import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { SpanKind, activeTraceFields, inSpan, traceIdOf, tracer } from './spans';
import { extractTraceContext, injectTraceHeaders } from './trace-propagation';
import { startTracing } from './tracing';

const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-0[01]$/;

describe('trace propagation through plain headers', () => {
  // No exporter configured: ids are still made and carried, which is what logs correlate on.
  beforeAll(() => startTracing('propagation-spec', {}));

  it('writes the active span as traceparent and reads it back as the parent of the next span', async () => {
    await inSpan('produce', { kind: SpanKind.PRODUCER }, async (span) => {
      const headers: Record<string, string> = injectTraceHeaders({ 'correlation-id': 'c1' });
      const [, traceId, spanId] = TRACEPARENT.exec(headers['traceparent'] ?? '') ?? [];
      expect(headers['correlation-id']).toBe('c1');
      expect(traceId).toBe(span.spanContext().traceId);
      expect(spanId).toBe(span.spanContext().spanId);

      const child = tracer().startSpan('consume', {}, extractTraceContext(headers));
      expect(child.spanContext().traceId).toBe(traceId);
      expect(child.spanContext().spanId).not.toBe(spanId);
      child.end();
    });
  });

  it('reads Kafka header values as Buffers, the last of a repeated header winning', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const parent = extractTraceContext({
      traceparent: [
        Buffer.from('00-ffffffffffffffffffffffffffffffff-ffffffffffffffff-01'),
        Buffer.from(traceparent),
      ],
      tracestate: Buffer.from('vendor=value'),
    });
    const span = trace.getSpanContext(parent);
    expect(span?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.isRemote).toBe(true);
    expect(injectTraceHeaders({}, parent)).toEqual({ traceparent, tracestate: 'vendor=value' });
  });

  it('starts from nothing when a message carries no or a malformed traceparent', () => {
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext({ traceparent: 'garbage' }))).toBeUndefined();
    const fresh = tracer().startSpan('consume', {}, extractTraceContext({}));
    expect(fresh.spanContext().traceId).toMatch(/^[\da-f]{32}$/);
    fresh.end();
  });

  it('never takes the active span for the parent of a consumed message', async () => {
    await inSpan('batch', { kind: SpanKind.CONSUMER }, async () => {
      expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
    });
  });

  it('writes nothing when no span is active', () => {
    expect(context.with(ROOT_CONTEXT, () => injectTraceHeaders({}))).toEqual({});
  });

  it('gives log lines the ids of the active span, and none outside of one', async () => {
    expect(activeTraceFields()).toEqual({});
    await inSpan('work', { kind: SpanKind.INTERNAL }, async (span) => {
      expect(activeTraceFields()).toEqual({
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
      });
    });
  });

  it('reads the trace id of a traceparent value, refusing malformed and all-zero ids', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(traceIdOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdOf('not-a-traceparent')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});

import { trace } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import { SpanKind, inSpan, startTracing, traceIdOf } from '@event-hub/observability';
import {
  recordTraceContext,
  sendSpans,
  startRecordSpan,
  traceForSend,
  traceRecordsForSend,
} from './record-tracing';

const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-0[01]$/;
const COMMAND_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('Kafka record tracing', () => {
  beforeAll(() => startTracing('record-tracing-spec', {}));

  it('puts a producer span of the active trace in the headers of a record sent within it', async () => {
    await inSpan('POST /users', { kind: SpanKind.SERVER }, async (request) => {
      const spans: Parameters<typeof traceForSend>[2] = [];
      const sent = traceForSend(
        'user_events',
        { value: 'v', headers: { 'event-id': 'e1' } } as Message,
        spans,
      );
      const [, traceId, spanId] = TRACEPARENT.exec(String(sent.headers?.['traceparent'])) ?? [];
      expect(traceId).toBe(request.spanContext().traceId);
      expect(spans).toHaveLength(1);
      expect(spanId).toBe(spans[0]?.spanContext().spanId);
      expect(sent.headers?.['event-id']).toBe('e1');
      sendSpans(spans).end();
    });
  });

  it("adds no header to a tenant's record: its bytes are the tenant's, and billed to its readers", async () => {
    await inSpan('POST /topics/orders/records', { kind: SpanKind.SERVER }, async () => {
      const spans: Parameters<typeof traceForSend>[2] = [];
      const message = { value: 'v', headers: { mine: 'x' } } as Message;
      expect(traceForSend('tenant.acme.orders', message, spans)).toBe(message);
      expect(spans).toHaveLength(1);
      sendSpans(spans).end();
    });
  });

  it("gives a send's tenant records one producer span per topic, and the others one each", async () => {
    await inSpan('POST /topics/orders/records', { kind: SpanKind.SERVER }, async (request) => {
      const spans: Parameters<typeof traceForSend>[2] = [];
      const carried = `00-${COMMAND_TRACE}-00f067aa0ba902b7-01`;
      const records = [
        { topic: 'tenant.acme.orders', message: { value: '1' } as Message },
        { topic: 'tenant.acme.orders', message: { value: '2', headers: { mine: 'x' } } as Message },
        { topic: 'tenant.acme.refunds', message: { value: '3' } as Message },
        {
          topic: 'tenant.acme.orders',
          message: { value: '4', headers: { traceparent: carried } } as Message,
        },
        {
          topic: 'usage_events',
          message: { value: 'u', headers: { 'event-id': 'e1' } } as Message,
        },
      ];
      const sent = traceRecordsForSend(records, spans);
      // The tenant's records as they were; the usage event with its own span's traceparent.
      expect(sent.slice(0, 4)).toEqual(records.slice(0, 4));
      sent.slice(0, 4).forEach((record, index) => expect(record).toBe(records[index]));
      const usage = String(sent[4]?.message.headers?.['traceparent']);
      expect(TRACEPARENT.exec(usage)?.[1]).toBe(request.spanContext().traceId);
      // One span each for the usage event and the record naming a trace, one per tenant topic.
      expect(spans).toHaveLength(4);
      const traceIds = spans.map((span) => span.spanContext().traceId).sort();
      expect(traceIds).toEqual(
        [COMMAND_TRACE, ...Array(3).fill(request.spanContext().traceId)].sort(),
      );
      sendSpans(spans).end();
    });
  });

  it('leaves the array of a send as it is when tracing changes no record', () => {
    const records = [{ topic: 'tenant.acme.orders', message: { value: '1' } as Message }];
    const spans: Parameters<typeof traceForSend>[2] = [];
    expect(traceRecordsForSend(records, spans)).toBe(records);
    sendSpans(spans).end();
  });

  it('continues the trace a record already names (a reply naming its command) rather than the active one', async () => {
    await inSpan('unrelated batch', { kind: SpanKind.CONSUMER }, async () => {
      const spans: Parameters<typeof traceForSend>[2] = [];
      const carried = `00-${COMMAND_TRACE}-00f067aa0ba902b7-01`;
      const sent = traceForSend(
        'response_events',
        { value: 'v', headers: { traceparent: carried } } as Message,
        spans,
      );
      const header = String(sent.headers?.['traceparent']);
      expect(traceIdOf(header)).toBe(COMMAND_TRACE);
      // A new span: the record's own producer span replaces the one it carried.
      expect(header).not.toBe(carried);
    });
  });

  it('handles a consumed record in a consumer span of the trace its headers carry', () => {
    const record = {
      offset: '41',
      headers: { traceparent: Buffer.from(`00-${COMMAND_TRACE}-00f067aa0ba902b7-01`) },
    };
    expect(trace.getSpanContext(recordTraceContext(record))?.traceId).toBe(COMMAND_TRACE);
    const handled = startRecordSpan('user_events', record, 2);
    expect(handled.span.spanContext().traceId).toBe(COMMAND_TRACE);
    expect(trace.getSpan(handled.context)).toBe(handled.span);
    handled.span.end();
  });

  it('starts a trace of its own for a record without trace headers', () => {
    const handled = startRecordSpan('user_events', { offset: '1', headers: {} }, 0);
    expect(handled.span.spanContext().traceId).toMatch(/^[\da-f]{32}$/);
    expect(handled.span.spanContext().traceId).not.toBe(COMMAND_TRACE);
    handled.span.end();
  });
});

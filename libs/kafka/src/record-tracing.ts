import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import {
  SpanKind,
  extractTraceContext,
  failSpan,
  injectTraceHeaders,
  tracer,
} from '@event-hub/observability';
import { TENANT_TOPIC_PREFIX } from '@event-hub/contracts';

const TRACE_HEADERS = ['traceparent', 'tracestate'];

/** Spans of records on their way to Kafka, ended once the broker answered for them. */
export interface SendSpans {
  end(error?: unknown): void;
}

/**
 * The message with a producer span's `traceparent` (and `tracestate`) in its headers. The span's
 * parent is the trace the message already names in its headers (a reply names its command's
 * handling), else the active one (the HTTP request producing it).
 *
 * A tenant's record is sent as the tenant wrote it: its headers are the tenant's data, and its
 * consumers pay for their bytes, so the platform adds none (the span is still recorded).
 */
export function traceForSend<M extends Message>(topic: string, message: M, spans: Span[]): M {
  const headers = message.headers ?? {};
  const carried = headers['traceparent'] !== undefined;
  const parent = carried ? extractTraceContext(headers) : context.active();
  const span = startPublishSpan(topic, parent);
  spans.push(span);
  if (topic.startsWith(TENANT_TOPIC_PREFIX)) return message;
  const ids: Record<string, string> = {};
  injectTraceHeaders(ids, trace.setSpan(parent, span));
  // No tracing set up (unit tests of a producer): the message goes as given.
  if (!carried && ids['traceparent'] === undefined) return message;
  const kept: IHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (!TRACE_HEADERS.includes(name)) kept[name] = value;
  return { ...message, headers: { ...kept, ...ids } };
}

/**
 * {@link traceForSend} for the records of one send, except that a tenant's records naming no
 * trace of their own share one producer span per topic, child of the active trace, with the
 * number of records in `messaging.batch.message_count`: nothing of a span goes into a tenant's
 * record, so a span each only cost CPU (a batch of 1,000 records, 1,000 spans). The records come
 * back as given where tracing changed nothing (the same array when it changed none).
 */
export function traceRecordsForSend<R extends { topic: string; message: Message }>(
  records: readonly R[],
  spans: Span[],
): readonly R[] {
  let shared: Map<string, number> | undefined;
  let traced: R[] | undefined;
  for (let index = 0; index < records.length; index++) {
    const record = records[index] as R;
    const { topic, message } = record;
    if (topic.startsWith(TENANT_TOPIC_PREFIX) && message.headers?.['traceparent'] === undefined) {
      shared ??= new Map<string, number>();
      shared.set(topic, (shared.get(topic) ?? 0) + 1);
      continue;
    }
    const sent = traceForSend(topic, message, spans);
    if (sent === message) continue;
    traced ??= [...records];
    traced[index] = { ...record, message: sent };
  }
  for (const [topic, count] of shared ?? []) {
    spans.push(
      startPublishSpan(topic, context.active(), { 'messaging.batch.message_count': count }),
    );
  }
  return traced ?? records;
}

function startPublishSpan(topic: string, parent: Context, attributes: Attributes = {}): Span {
  return tracer().startSpan(
    `${topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        ...attributes,
      },
    },
    parent,
  );
}

/** Ends the producer spans of one send, failed by `error` when there is one. */
export function sendSpans(spans: Span[]): SendSpans {
  return {
    end: (error) => {
      for (const span of spans) {
        if (error !== undefined) failSpan(span, error);
        span.end();
      }
    },
  };
}

/** The trace context a consumed record carries. */
export function recordTraceContext(message: Pick<KafkaMessage, 'headers'>): Context {
  return extractTraceContext(message.headers);
}

/**
 * A consumer span for handling one record, child of the record's `traceparent`: the consuming
 * side of the trace the producer started. Not active: run the record's work with `context.with`
 * on {@link RecordSpan.context} so its log lines and replies carry it.
 */
export interface RecordSpan {
  span: Span;
  context: Context;
}

export function startRecordSpan(
  topic: string,
  message: Pick<KafkaMessage, 'headers' | 'offset'>,
  partition: number,
): RecordSpan {
  const parent = recordTraceContext(message);
  const span = tracer().startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': String(partition),
        'messaging.kafka.offset': Number(message.offset),
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

import {
  ROOT_CONTEXT,
  context,
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/** Headers as most transports hand them: Kafka record headers, AMQP properties, HTTP headers. */
export type CarrierHeaders = Record<string, unknown>;

/** Reads strings and Buffers (kafkajs hands header values as Buffers); the last of a repeat. */
const getter: TextMapGetter<CarrierHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => headerText(carrier[key]),
};

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/**
 * Writes `traceparent` (and `tracestate` when there is one) of `from` (default: the active
 * context) into `headers`, which it returns. Nothing is written when there is no span.
 */
export function injectTraceHeaders<T extends Record<string, string>>(
  headers: T,
  from: Context = context.active(),
): T {
  propagation.inject(from, headers, setter);
  return headers;
}

/** The context a message's `traceparent`/`tracestate` headers carry (ROOT when they are absent). */
export function extractTraceContext(headers: CarrierHeaders | undefined): Context {
  // A record starts from what it carries, never from the span that happens to be active.
  if (!headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}

function headerText(value: unknown): string | undefined {
  const last = Array.isArray(value) ? (value as unknown[])[value.length - 1] : value;
  if (typeof last === 'string') return last;
  if (Buffer.isBuffer(last)) return last.toString('latin1');
  return undefined;
}

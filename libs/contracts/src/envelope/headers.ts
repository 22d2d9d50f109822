import type { EventEnvelope } from './event-envelope';

/** Kafka header names; spelled here once so producers, consumers and the monitor agree. */
export const EVENT_HEADERS = {
  correlationId: 'correlation-id',
  eventType: 'event-type',
  eventId: 'event-id',
  traceparent: 'traceparent',
  tenantId: 'tenant-id',
  contentType: 'content-type',
} as const;

/** Headers a dead-lettered record carries in addition to its original ones. */
export const DEAD_LETTER_HEADERS = {
  error: 'dlq-error',
  errorCode: 'dlq-error-code',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  failedAt: 'dlq-failed-at',
  attempts: 'dlq-attempts',
} as const;

export const JSON_CONTENT_TYPE = 'application/json';

/**
 * The headers a record carrying `envelope` goes with: its correlation id, type and id, and the
 * JSON content type; `tenantId` adds the tenant header, for the records a tenant's events travel in.
 */
export function envelopeHeaders(
  envelope: EventEnvelope,
  tenantId?: string,
): Record<string, string> {
  const headers: Record<string, string> = {
    [EVENT_HEADERS.correlationId]: envelope.metadata.correlationId,
    [EVENT_HEADERS.eventType]: envelope.eventType,
    [EVENT_HEADERS.eventId]: envelope.eventId,
  };
  if (tenantId !== undefined) headers[EVENT_HEADERS.tenantId] = tenantId;
  headers[EVENT_HEADERS.contentType] = JSON_CONTENT_TYPE;
  return headers;
}

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

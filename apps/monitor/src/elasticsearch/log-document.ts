/** How the record's value was understood. */
export type RecordFormat = 'envelope' | 'json' | 'text' | 'binary' | 'empty';

/** One Kafka record as stored in Elasticsearch (see `logIndexTemplate` for the mapping). */
export interface LogDocument {
  /** The Kafka record timestamp (the time it was read, when the record carries none). */
  '@timestamp': string;
  readAt: string;
  topic: string;
  partition: number;
  offset: number;
  key?: string;
  keyEncoding?: 'base64';
  headers?: Record<string, string>;
  format: RecordFormat;
  eventId?: string;
  eventType?: string;
  source?: string;
  tenantId?: string;
  correlationId?: string;
  causationId?: string;
  version?: string;
  clientId?: string;
  /** The OpenTelemetry trace the record belongs to, from its `traceparent` header. */
  traceId?: string;
  /** The envelope's `data`, or the whole JSON value; non-objects are wrapped as `{ value }`. */
  payload?: Record<string, unknown>;
  /** The value as UTF-8 text, for full-text search (absent for binary values). */
  message?: string;
  rawBase64?: string;
  valueBytes: number;
  parseError: boolean;
  parseErrorReason?: string;
  /** Keyed hashes of the personal values masked in this document, for exact search. */
  piiHashes?: string[];
}

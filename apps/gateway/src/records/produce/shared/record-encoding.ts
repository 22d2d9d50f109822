import type { Message } from 'kafkajs';
import { JSON_CONTENT_TYPE } from '@event-hub/contracts';
import { isPlatformHeader, PRODUCER_HEADERS } from '../../shared/platform-headers';
import { ProduceLimitExceededError } from './produce.errors';

/** A record as the client sent it. */
export interface RecordInput {
  key?: string;
  /** Any JSON. */
  value: unknown;
  headers?: Record<string, string>;
  partition?: number;
}

export interface EncodedRecord {
  message: Message;
  /** Bytes the client sent: key, value (as JSON) and its own headers. What limits and billing count. */
  bytes: number;
  partition: number | undefined;
}

export function encodeRecord(
  record: RecordInput,
  producer: { tenantId: string; clientId: string },
): EncodedRecord {
  const value = JSON.stringify(record.value ?? null);
  let bytes =
    Buffer.byteLength(value) + (record.key === undefined ? 0 : Buffer.byteLength(record.key));
  const headers: Record<string, string> = {};
  const own = record.headers;
  if (own !== undefined) {
    for (const name of Object.keys(own)) {
      if (isPlatformHeader(name)) continue;
      const headerValue = own[name] as string;
      headers[name] = headerValue;
      bytes += Buffer.byteLength(name) + Buffer.byteLength(headerValue);
    }
  }
  headers[PRODUCER_HEADERS.clientId] = producer.clientId;
  headers[PRODUCER_HEADERS.tenantId] = producer.tenantId;
  headers[PRODUCER_HEADERS.contentType] = JSON_CONTENT_TYPE;
  const message: Message = { value, headers };
  if (record.key !== undefined) message.key = record.key;
  return { message, bytes, partition: record.partition };
}

export interface ProduceLimits {
  maxRecords: number;
  maxRecordBytes: number;
  maxRequestBytes: number;
}

/** Throws the 413 naming the first limit the request is beyond. */
export function assertWithinProduceLimits(
  records: readonly { bytes: number }[],
  limits: ProduceLimits,
): number {
  if (records.length > limits.maxRecords) {
    throw new ProduceLimitExceededError(
      'maxRecords',
      limits.maxRecords,
      `${records.length} records in one request; at most ${limits.maxRecords} are accepted`,
    );
  }
  let total = 0;
  records.forEach((record, index) => {
    if (record.bytes > limits.maxRecordBytes) {
      throw new ProduceLimitExceededError(
        'maxRecordBytes',
        limits.maxRecordBytes,
        `records[${index}] has ${record.bytes} bytes of key, value and headers; at most ${limits.maxRecordBytes} are accepted`,
        `records[${index}]`,
      );
    }
    total += record.bytes;
  });
  if (total > limits.maxRequestBytes) {
    throw new ProduceLimitExceededError(
      'maxRequestBytes',
      limits.maxRequestBytes,
      `the records hold ${total} bytes of keys, values and headers; at most ${limits.maxRequestBytes} are accepted per request`,
    );
  }
  return total;
}

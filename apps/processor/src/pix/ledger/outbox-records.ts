import {
  ACCOUNT_BALANCE_TENANT_HEADER,
  type AccountBalanceRecord,
  createEnvelope,
  envelopeHeaders,
  TOPICS,
} from '@event-hub/contracts';
import { context as traceContext, type Context } from '@opentelemetry/api';
import { injectTraceHeaders } from '@event-hub/observability';
import type { PackedOutboxRecord } from '@event-hub/pix-data';
import type { PixStatements } from './retry-conflicts';

/** One record for the outbox relay to publish after the transaction that wrote it commits. */
export interface OutboxRecord {
  destination: 'kafka' | 'rabbitmq';
  topic: string;
  key: string | null;
  /** Null only for a Kafka tombstone. */
  payload: string | null;
  headers: Record<string, string>;
  /**
   * The trace the record continues: the payment's, when one transaction writes the records of a
   * whole chunk of payments; the active one when absent.
   */
  trace?: Context;
}

/** A PIX stage event in the platform envelope; the payment id is key and correlation id. */
export function stageEvent(
  topic: string,
  paymentId: string,
  tenantId: string,
  data: object,
  causationId?: string,
): OutboxRecord {
  const envelope = createEnvelope({
    eventType: topic,
    source: 'processor',
    data,
    tenantId,
    correlationId: paymentId,
    causationId,
  });
  return {
    destination: 'kafka',
    topic,
    key: paymentId,
    payload: JSON.stringify(envelope),
    headers: envelopeHeaders(envelope, tenantId),
  };
}

/**
 * The notification of a settled or rejected payment, for the `pix` exchange. It sits in the same
 * outbox as the settlement, so it is published if and only if the settlement committed; the relay
 * emits `pix.notification.sent` once RabbitMQ confirmed it.
 */
export function notification(
  routingKey: string,
  paymentId: string,
  tenantId: string,
  data: object,
): OutboxRecord {
  return { ...stageEvent(routingKey, paymentId, tenantId, data), destination: 'rabbitmq' };
}

/** What changed, when, from which state to which, and who did it (`pix.audit.log`). */
export interface AuditEntry {
  what: string;
  subjectId: string;
  tenantId: string;
  previousState: string | null;
  newState: string;
  actor: string;
  detail?: Record<string, string>;
}

export function auditRecord(entry: AuditEntry, at: Date): OutboxRecord {
  return stageEvent(TOPICS.pixAuditLog, entry.subjectId, entry.tenantId, {
    ...entry,
    at: at.toISOString(),
  });
}

/** The account_balances record of libs/contracts: key account id, tenant in a header. */
export function balanceRecord(record: AccountBalanceRecord): OutboxRecord {
  return {
    destination: 'kafka',
    topic: TOPICS.accountBalances,
    key: record.accountId,
    payload: JSON.stringify(record),
    headers: { [ACCOUNT_BALANCE_TENANT_HEADER]: record.tenantId },
  };
}

/**
 * The tombstone of a closed account: key = account id, null value, the tenant in the header as on
 * every balance record. Compaction then drops the key, and the balance view removes it.
 */
export function balanceTombstone(accountId: string, tenantId: string): OutboxRecord {
  return {
    destination: 'kafka',
    topic: TOPICS.accountBalances,
    key: accountId,
    payload: null,
    headers: { [ACCOUNT_BALANCE_TENANT_HEADER]: tenantId },
  };
}

/**
 * Kafka records one outbox row holds at most: a chunk's records take a few rows instead of one
 * each (every row is inserted, read, and marked sent), while a relay round of
 * `PIX_OUTBOX_BATCH_SIZE` rows stays a send Kafka takes (at most that many × this records).
 */
export const RECORDS_PER_ROW = 50;

/**
 * Inserts the records in the caller's transaction, in order (the relay publishes by row id, and a
 * row's records in order), in one statement sent with the COMMIT (nothing reads its result). Kafka
 * records are packed `RECORDS_PER_ROW` to a row (the first in the row's columns, the others in
 * `extras`); each RabbitMQ notification is a row of its own, with its own attempts and backoff.
 * Each record carries its trace (`traceparent`: the record's own, else the active one), which the
 * relays pass on in the Kafka record's and the AMQP message's headers.
 */
export function insertOutbox(statements: PixStatements, records: readonly OutboxRecord[]): void {
  if (records.length === 0) return;
  const packed = (r: OutboxRecord): PackedOutboxRecord => ({
    topic: r.topic,
    key: r.key,
    payload: r.payload,
    headers: injectTraceHeaders({ ...r.headers }, r.trace ?? traceContext.active()),
  });
  const rows: { destination: OutboxRecord['destination']; records: PackedOutboxRecord[] }[] = [];
  let kafkaRow: PackedOutboxRecord[] | undefined;
  for (const record of records) {
    if (record.destination === 'rabbitmq') {
      rows.push({ destination: 'rabbitmq', records: [packed(record)] });
      continue;
    }
    if (!kafkaRow || kafkaRow.length >= RECORDS_PER_ROW) {
      kafkaRow = [];
      rows.push({ destination: 'kafka', records: kafkaRow });
    }
    kafkaRow.push(packed(record));
  }
  const values: unknown[] = [];
  const tuples = rows.map(({ destination, records: [first, ...extras] }, i) => {
    const r = first as PackedOutboxRecord;
    values.push(
      destination,
      r.topic,
      r.key,
      r.payload,
      JSON.stringify(r.headers),
      extras.length > 0 ? JSON.stringify(extras) : null,
    );
    const p = i * 6;
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6}::jsonb)`;
  });
  statements.writeAtCommit(
    `INSERT INTO pix_outbox (destination, topic, message_key, payload, headers, extras)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}

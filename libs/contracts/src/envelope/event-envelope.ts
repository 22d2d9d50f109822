import { randomUUID } from 'node:crypto';

/** Tracing identifiers that travel with every event of one flow. */
export interface EventMetadata {
  correlationId: string;
  causationId?: string;
  clientId?: string;
}

/** The one event shape every topic of the platform carries (seed 004). */
export interface EventEnvelope<TData = unknown, TType extends string = string> {
  eventId: string;
  eventType: TType;
  source: string;
  /** ISO-8601 instant the event was created. */
  timestamp: string;
  /** Version of the `data` schema for this event type, e.g. "1.0". */
  version: string;
  tenantId?: string;
  /**
   * ISO-8601 instant after which a command must not take effect: a processor that would apply it
   * later refuses it instead, so whoever gave up on it then can say it never will.
   */
  deadline?: string;
  data: TData;
  metadata: EventMetadata;
}

export interface NewEnvelope<TData, TType extends string> {
  eventType: TType;
  source: string;
  data: TData;
  correlationId?: string;
  causationId?: string;
  clientId?: string;
  tenantId?: string;
  version?: string;
  eventId?: string;
  timestamp?: Date;
  deadline?: Date;
}

export function createEnvelope<TData, TType extends string>(
  init: NewEnvelope<TData, TType>,
): EventEnvelope<TData, TType> {
  const metadata: EventMetadata = { correlationId: init.correlationId ?? randomUUID() };
  if (init.causationId !== undefined) metadata.causationId = init.causationId;
  if (init.clientId !== undefined) metadata.clientId = init.clientId;
  const envelope: EventEnvelope<TData, TType> = {
    eventId: init.eventId ?? randomUUID(),
    eventType: init.eventType,
    source: init.source,
    timestamp: (init.timestamp ?? new Date()).toISOString(),
    version: init.version ?? '1.0',
    data: init.data,
    metadata,
  };
  if (init.tenantId !== undefined) envelope.tenantId = init.tenantId;
  if (init.deadline !== undefined) envelope.deadline = init.deadline.toISOString();
  return envelope;
}

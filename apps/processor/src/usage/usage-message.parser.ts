import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { KafkaMessage } from 'kafkajs';
import {
  USAGE_ACTIONS,
  USAGE_EVENT_TYPE,
  eventEnvelopeSchema,
  type EventEnvelope,
  type UsageEventData,
} from '@event-hub/contracts';
import { BILLING_MAX_MESSAGES } from '@event-hub/billing-data';

/** A usage event ready to become one `billing` row. */
export interface UsageRecord {
  kind: 'usage';
  message: KafkaMessage;
  /** The envelope's eventId: the inbox key. */
  usageEventId: string;
  usage: UsageEventData;
}

/** A record that can never become a row: it is dead-lettered with the reason. */
export interface PoisonUsageRecord {
  kind: 'poison';
  message: KafkaMessage;
  error: { code: string; message: string };
}

export type ParsedUsageRecord = UsageRecord | PoisonUsageRecord;

export const USAGE_POISON_CODES = {
  notJson: 'USAGE.NOT_JSON',
  notEnvelope: 'USAGE.NOT_AN_ENVELOPE',
  wrongEventType: 'USAGE.WRONG_EVENT_TYPE',
  invalidData: 'USAGE.INVALID_DATA',
  /** The row was refused by Postgres itself (a value out of its range, a constraint). */
  rejectedByDatabase: 'USAGE.REJECTED_BY_DATABASE',
} as const;

/** What `data` of a `usage.recorded` event must be; extra fields are tolerated (newer minors). */
const usageDataSchema = {
  type: 'object',
  required: ['tenant', 'topic', 'clientId', 'action', 'messages', 'bytes', 'eventTime'],
  properties: {
    tenant: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    topic: { type: 'string', minLength: 1, maxLength: 249 },
    clientId: { type: 'string', minLength: 1, maxLength: 255 },
    action: { type: 'string', enum: [...USAGE_ACTIONS] },
    messages: { type: 'integer', minimum: 0, maximum: BILLING_MAX_MESSAGES },
    bytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    eventTime: { type: 'string', format: 'date-time' },
  },
} as const;

const ajv = addFormats(new Ajv({ strict: true, allErrors: false }));
const validateEnvelope = ajv.compile<EventEnvelope>(eventEnvelopeSchema);
const validateData = ajv.compile<UsageEventData>(usageDataSchema);

/** Reads one `usage_events` record; never throws, whatever the bytes. */
export function parseUsageMessage(message: KafkaMessage): ParsedUsageRecord {
  const poison = (code: string, text: string): PoisonUsageRecord => ({
    kind: 'poison',
    message,
    error: { code, message: text },
  });
  if (!message.value || message.value.length === 0) {
    return poison(USAGE_POISON_CODES.notJson, 'the record has no value');
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return poison(USAGE_POISON_CODES.notJson, `the value is not JSON: ${(error as Error).message}`);
  }
  if (!validateEnvelope(json)) {
    const reason = ajv.errorsText(validateEnvelope.errors, { dataVar: 'envelope' });
    return poison(USAGE_POISON_CODES.notEnvelope, `not an event envelope: ${reason}`);
  }
  const envelope = json;
  if (envelope.eventType !== USAGE_EVENT_TYPE) {
    return poison(
      USAGE_POISON_CODES.wrongEventType,
      `expected a ${USAGE_EVENT_TYPE} event, got "${envelope.eventType}"`,
    );
  }
  if (!validateData(envelope.data)) {
    const reason = ajv.errorsText(validateData.errors, { dataVar: 'data' });
    return poison(USAGE_POISON_CODES.invalidData, `invalid ${USAGE_EVENT_TYPE} data: ${reason}`);
  }
  const usage = envelope.data;
  if (envelope.tenantId !== undefined && envelope.tenantId !== usage.tenant) {
    // Billing one tenant for an event another tenant's envelope carries would be a guess.
    return poison(
      USAGE_POISON_CODES.invalidData,
      `the envelope's tenant "${envelope.tenantId}" differs from data.tenant "${usage.tenant}"`,
    );
  }
  if ([usage.topic, usage.clientId].some((text) => text.includes('\u0000'))) {
    // Postgres text cannot hold NUL: storing would fail the same way on every retry.
    return poison(USAGE_POISON_CODES.invalidData, 'a string contains a NUL character');
  }
  return {
    kind: 'usage',
    message,
    usageEventId: envelope.eventId.toLowerCase(),
    usage: {
      tenant: usage.tenant,
      topic: usage.topic,
      clientId: usage.clientId,
      action: usage.action,
      messages: usage.messages,
      bytes: usage.bytes,
      eventTime: usage.eventTime,
    },
  };
}

/**
 * The JSON Schemas (draft-07) of the PIX events: what the gateway and the processor put on the five
 * PIX topics and on the `pix` exchange today. The AsyncAPI document and the schema registry publish
 * them, the e2e checks the flow's real events against them, and the gateway's operator tool
 * (`POST /admin/pix/events`) refuses an event that does not match.
 */
import { ACCOUNT_PIX_KEY_TYPES } from '../commands/account-commands';
import { envelopeSchemaFor } from '../envelope/event-envelope.schema';
import { TOPICS } from '../topics/topic-catalog';
import { PIX_EXCHANGE, PIX_ROUTING_KEYS } from './pix-notifications';

type JsonSchema = Record<string, unknown>;

/** The five Kafka topics of the PIX stages (not the balances topic nor the dead letters). */
export const PIX_STAGE_TOPICS = [
  TOPICS.pixPaymentRequested,
  TOPICS.pixPaymentValidated,
  TOPICS.pixPaymentSettled,
  TOPICS.pixNotificationSent,
  TOPICS.pixAuditLog,
] as const;
export type PixStageTopic = (typeof PIX_STAGE_TOPICS)[number];

export type PixRoutingKey = (typeof PIX_ROUTING_KEYS)[keyof typeof PIX_ROUTING_KEYS];

/**
 * Every PIX event type. A stage event's type is its topic's name, a notification's its routing
 * key; `pix.payment.settled` is both (the same event on Kafka and on the exchange).
 */
export const PIX_EVENT_TYPES = [
  ...PIX_STAGE_TOPICS,
  ...Object.values(PIX_ROUTING_KEYS).filter((key) => !PIX_STAGE_TOPICS.some((t) => t === key)),
] as readonly (PixStageTopic | PixRoutingKey)[];
export type PixEventType = PixStageTopic | PixRoutingKey;

/** A decimal string with at most two decimals (never a JSON number: money is not a float). */
export const PIX_AMOUNT_PATTERN = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
/** The central bank's end-to-end id: `E`, 8-digit ISPB, `yyyyMMddHHmm` UTC, 11 alphanumerics. */
export const PIX_END_TO_END_ID_PATTERN = /^E\d{8}\d{12}[A-Za-z0-9]{11}$/;

const uuid = { type: 'string', format: 'uuid' };
const amount = {
  type: 'string',
  pattern: PIX_AMOUNT_PATTERN.source,
  description: 'Decimal string, e.g. "150.00"',
};
const endToEndId = { type: 'string', pattern: PIX_END_TO_END_ID_PATTERN.source };
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });

const object = (properties: Record<string, unknown>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  properties,
});

const validatedData = {
  paymentId: uuid,
  endToEndId,
  payerAccountId: uuid,
  receiverAccountId: uuid,
  amount,
};

/** `data` of each PIX event type. */
export const PIX_EVENT_DATA_SCHEMAS: Record<PixEventType, JsonSchema> = {
  [TOPICS.pixPaymentRequested]: object({
    paymentId: uuid,
    endToEndId,
    clientId: text(200),
    idempotencyKey: text(200),
    payerAccountId: uuid,
    receiverKey: object({
      type: { enum: [...ACCOUNT_PIX_KEY_TYPES] },
      value: text(77),
    }),
    amount,
    description: { type: ['string', 'null'], maxLength: 140 },
  }),
  [TOPICS.pixPaymentValidated]: object(validatedData),
  [TOPICS.pixPaymentSettled]: object({ ...validatedData, state: { const: 'settled' } }),
  [PIX_ROUTING_KEYS.rejected]: object({
    paymentId: uuid,
    endToEndId,
    payerAccountId: uuid,
    amount,
    state: { const: 'rejected' },
    rejectionCode: {
      type: 'string',
      pattern: '^[A-Z][A-Z0-9_]*$',
      maxLength: 100,
      description: 'Stable code: an antifraud rule or INSUFFICIENT_FUNDS',
    },
  }),
  [TOPICS.pixNotificationSent]: object({
    paymentId: uuid,
    routingKey: { enum: Object.values(PIX_ROUTING_KEYS) },
    exchange: { const: PIX_EXCHANGE },
  }),
  [TOPICS.pixAuditLog]: object(
    {
      what: {
        ...text(100),
        description: '`pix.payment`, or `account.opened` / `account.deposit` / …',
      },
      subjectId: { ...uuid, description: 'The payment or account id' },
      tenantId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
      previousState: {
        type: ['string', 'null'],
        maxLength: 100,
        description: 'The state (or balance) before; null when the subject was created',
      },
      newState: text(100),
      actor: text(200),
      detail: { type: 'object', additionalProperties: { type: 'string' } },
      at: { type: 'string', format: 'date-time' },
    },
    ['detail'],
  ),
};

/**
 * The whole event of one type: the platform envelope with `eventType` fixed, the tenant required
 * (every PIX event belongs to a tenant) and `data` as {@link PIX_EVENT_DATA_SCHEMAS} says.
 */
export function pixEventSchema(eventType: PixEventType): JsonSchema {
  return withTenantRequired(envelopeSchemaFor([eventType], PIX_EVENT_DATA_SCHEMAS[eventType]));
}

/** An envelope schema that also requires `tenantId`, as every PIX event has one. */
export function withTenantRequired(envelope: JsonSchema): JsonSchema {
  return { ...envelope, required: [...(envelope['required'] as string[]), 'tenantId'] };
}

export const isPixEventType = (name: string): name is PixEventType =>
  PIX_EVENT_TYPES.some((type) => type === name);

export const isPixStageTopic = (name: string): name is PixStageTopic =>
  PIX_STAGE_TOPICS.some((topic) => topic === name);

export const isPixRoutingKey = (name: string): name is PixRoutingKey =>
  Object.values(PIX_ROUTING_KEYS).some((key) => key === name);

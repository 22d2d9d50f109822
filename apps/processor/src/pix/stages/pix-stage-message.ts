import type { KafkaMessage } from 'kafkajs';
import { PIX_KEY_TYPES, type PixKeyType } from '@event-hub/pix-data';
import type { PaymentRequest } from '../ledger/pix-ledger';

/** A record no retry can handle: dead-lettered with its code. */
export class PoisonRecord extends Error {
  constructor(
    readonly code: PoisonCode,
    message: string,
  ) {
    super(message);
  }
}

/** Bounded reasons of dead-lettered PIX records (a metric label and the dlq-error-code header). */
export type PoisonCode = 'INVALID_JSON' | 'INVALID_ENVELOPE' | 'INVALID_PAYMENT' | 'UNPROCESSABLE';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MONEY = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
const END_TO_END_ID = /^E\d{8}\d{12}[A-Za-z0-9]{11}$/;

interface Envelope {
  eventType: string;
  tenantId: string;
  data: Record<string, unknown>;
  metadata: { correlationId: string; clientId?: string };
}

function envelopeOf(message: KafkaMessage, eventType: string): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch {
    throw new PoisonRecord('INVALID_JSON', 'the record value is not JSON');
  }
  const e = parsed as Partial<Envelope> | null;
  if (
    !e ||
    typeof e !== 'object' ||
    e.eventType !== eventType ||
    typeof e.tenantId !== 'string' ||
    !e.data ||
    typeof e.data !== 'object' ||
    typeof e.metadata?.correlationId !== 'string'
  ) {
    throw new PoisonRecord(
      'INVALID_ENVELOPE',
      `not a ${eventType} envelope (eventType, tenantId, data, metadata.correlationId)`,
    );
  }
  return e as Envelope;
}

function field(data: Record<string, unknown>, name: string, test: (v: unknown) => boolean) {
  const value = data[name];
  if (!test(value)) throw new PoisonRecord('INVALID_PAYMENT', `data.${name} is missing or invalid`);
  return value;
}

const isUuid = (v: unknown) => typeof v === 'string' && UUID.test(v);

/** `pix.payment.requested` as the gateway produces it, checked field by field. */
export function parseRequested(message: KafkaMessage): PaymentRequest {
  const e = envelopeOf(message, 'pix.payment.requested');
  const d = e.data;
  const paymentId = field(d, 'paymentId', isUuid) as string;
  if (paymentId !== e.metadata.correlationId) {
    throw new PoisonRecord('INVALID_PAYMENT', 'metadata.correlationId must be the payment id');
  }
  const key = field(
    d,
    'receiverKey',
    (v) =>
      !!v &&
      typeof v === 'object' &&
      PIX_KEY_TYPES.includes((v as { type: PixKeyType }).type) &&
      typeof (v as { value: unknown }).value === 'string',
  ) as { type: PixKeyType; value: string };
  const description = d['description'];
  return {
    paymentId,
    tenantId: e.tenantId,
    endToEndId: field(
      d,
      'endToEndId',
      (v) => typeof v === 'string' && END_TO_END_ID.test(v),
    ) as string,
    clientId: field(d, 'clientId', (v) => typeof v === 'string' && v.length > 0) as string,
    idempotencyKey: field(
      d,
      'idempotencyKey',
      (v) => typeof v === 'string' && v.length > 0,
    ) as string,
    payerAccountId: field(d, 'payerAccountId', isUuid) as string,
    receiverKey: { type: key.type, value: key.value },
    amount: field(d, 'amount', (v) => typeof v === 'string' && MONEY.test(v)) as string,
    description: typeof description === 'string' ? description : null,
  };
}

/** The payment id of a `pix.payment.validated` record. */
export function parseValidated(message: KafkaMessage): string {
  const e = envelopeOf(message, 'pix.payment.validated');
  return field(e.data, 'paymentId', isUuid) as string;
}

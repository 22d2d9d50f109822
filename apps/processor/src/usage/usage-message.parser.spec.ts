import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { USAGE_EVENT_TYPE, createEnvelope, type UsageEventData } from '@event-hub/contracts';
import { USAGE_POISON_CODES, parseUsageMessage } from './usage-message.parser';

const usage = (overrides: Partial<UsageEventData> = {}): UsageEventData => ({
  tenant: 'acme',
  topic: 'orders',
  clientId: 'ehc_abc',
  action: 'produce',
  messages: 3,
  bytes: 1234,
  eventTime: '2026-11-23T10:00:00.000Z',
  ...overrides,
});

const message = (value: string | null): KafkaMessage => ({
  key: Buffer.from('acme'),
  value: value === null ? null : Buffer.from(value),
  timestamp: '0',
  attributes: 0,
  offset: '7',
  headers: {},
});

const envelopeOf = (data: unknown, init: { eventType?: string; tenantId?: string } = {}) =>
  JSON.stringify(
    createEnvelope({
      eventType: init.eventType ?? USAGE_EVENT_TYPE,
      source: 'gateway',
      tenantId: init.tenantId ?? 'acme',
      data,
    }),
  );

describe('reading a usage event', () => {
  it('yields the row to store, keyed by the envelope eventId', () => {
    const eventId = randomUUID();
    const value = JSON.stringify(
      createEnvelope({ eventType: USAGE_EVENT_TYPE, source: 'gateway', data: usage(), eventId }),
    );
    expect(parseUsageMessage(message(value))).toMatchObject({
      kind: 'usage',
      usageEventId: eventId,
      usage: usage(),
    });
  });

  it('ignores fields a newer producer adds to data', () => {
    const parsed = parseUsageMessage(message(envelopeOf({ ...usage(), region: 'br' })));
    expect(parsed).toMatchObject({ kind: 'usage', usage: usage() });
  });

  it.each([
    ['an empty value', null, USAGE_POISON_CODES.notJson],
    ['bytes that are not JSON', '{"eventId":', USAGE_POISON_CODES.notJson],
    ['JSON that is not an envelope', '{"hello":"world"}', USAGE_POISON_CODES.notEnvelope],
    [
      'another event type',
      envelopeOf(usage(), { eventType: 'user.create' }),
      USAGE_POISON_CODES.wrongEventType,
    ],
    [
      'a negative message count',
      envelopeOf(usage({ messages: -1 })),
      USAGE_POISON_CODES.invalidData,
    ],
    ['fractional bytes', envelopeOf(usage({ bytes: 1.5 })), USAGE_POISON_CODES.invalidData],
    [
      'an unknown action',
      envelopeOf({ ...usage(), action: 'delete' }),
      USAGE_POISON_CODES.invalidData,
    ],
    [
      'a time without zone',
      envelopeOf(usage({ eventTime: '2026-11-23 10:00' })),
      USAGE_POISON_CODES.invalidData,
    ],
    [
      'a missing client id',
      envelopeOf({ ...usage(), clientId: undefined }),
      USAGE_POISON_CODES.invalidData,
    ],
    [
      'a NUL in the topic',
      envelopeOf(usage({ topic: 'or\u0000ders' })),
      USAGE_POISON_CODES.invalidData,
    ],
    [
      'an envelope tenant other than the data tenant',
      envelopeOf(usage({ tenant: 'acme' }), { tenantId: 'globex' }),
      USAGE_POISON_CODES.invalidData,
    ],
  ])('dead-letters %s, saying why', (_, value, code) => {
    const parsed = parseUsageMessage(message(value));
    expect(parsed).toMatchObject({ kind: 'poison', error: { code, message: expect.any(String) } });
  });
});

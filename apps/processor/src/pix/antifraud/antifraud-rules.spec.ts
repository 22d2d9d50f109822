import {
  ANTIFRAUD_CODES,
  decide,
  isNightTime,
  type AntifraudLimits,
  type PaymentFacts,
} from './antifraud-rules';

const limits: AntifraudLimits = {
  perTransaction: '5000.00',
  nightPerTransaction: '1000.00',
  daily: '10000.00',
  velocityCount: 3,
  velocityWindowMinutes: 10,
};

// 15:00 UTC is 12:00 in São Paulo (UTC-3): daytime.
const NOON_IN_SAO_PAULO = new Date('2026-12-06T15:00:00Z');

const facts = (overrides: Partial<PaymentFacts> = {}): PaymentFacts => ({
  amount: '100.00',
  payerAccountId: 'payer',
  receiver: { accountId: 'receiver', keyBlocked: false, closed: false },
  payerClosed: false,
  payerKeyBlocked: false,
  sentToday: '0.00',
  recentPayments: 0,
  requestedAt: NOON_IN_SAO_PAULO,
  ...overrides,
});

describe('antifraud rules', () => {
  it('validates an ordinary payment towards the account its key resolves to', () => {
    expect(decide(facts(), limits)).toEqual({
      verdict: 'validated',
      receiverAccountId: 'receiver',
    });
  });

  it.each<[string, Partial<PaymentFacts>, string]>([
    [
      'a key that resolves to no account',
      { receiver: undefined },
      ANTIFRAUD_CODES.unknownReceiverKey,
    ],
    [
      'a blocked receiver key',
      { receiver: { accountId: 'receiver', keyBlocked: true, closed: false } },
      ANTIFRAUD_CODES.blockedKey,
    ],
    [
      'a key of a closed account (its keys stay reserved to it)',
      { receiver: { accountId: 'receiver', keyBlocked: false, closed: true } },
      ANTIFRAUD_CODES.accountClosed,
    ],
    ['a closed payer account', { payerClosed: true }, ANTIFRAUD_CODES.accountClosed],
    ['a payer whose own key is blocked', { payerKeyBlocked: true }, ANTIFRAUD_CODES.blockedKey],
    [
      'a payment to oneself',
      { receiver: { accountId: 'payer', keyBlocked: false, closed: false } },
      ANTIFRAUD_CODES.selfPayment,
    ],
    [
      'one cent over the per-transaction limit',
      { amount: '5000.01' },
      ANTIFRAUD_CODES.perTransactionLimit,
    ],
    [
      'more than the night limit at 22:00 in São Paulo',
      { amount: '1000.01', requestedAt: new Date('2026-12-07T01:00:00Z') },
      ANTIFRAUD_CODES.nightLimit,
    ],
    [
      'more than the night limit at 05:59 in São Paulo',
      { amount: '1000.01', requestedAt: new Date('2026-12-06T08:59:00Z') },
      ANTIFRAUD_CODES.nightLimit,
    ],
    [
      'a payment that takes the day past the daily limit',
      { amount: '600.00', sentToday: '9400.01' },
      ANTIFRAUD_CODES.dailyLimit,
    ],
    [
      'a payer who already paid N times in the window',
      { recentPayments: 3 },
      ANTIFRAUD_CODES.velocity,
    ],
  ])('rejects %s', (_, overrides, code) => {
    expect(decide(facts(overrides), limits)).toEqual({ verdict: 'rejected', code });
  });

  it('accepts exactly the limits', () => {
    expect(decide(facts({ amount: '5000.00' }), limits).verdict).toBe('validated');
    expect(decide(facts({ amount: '600.00', sentToday: '9400.00' }), limits).verdict).toBe(
      'validated',
    );
    expect(decide(facts({ recentPayments: 2 }), limits).verdict).toBe('validated');
  });

  it('applies the night limit from 20:00 to 06:00 São Paulo time, whatever the server zone', () => {
    expect(isNightTime(new Date('2026-12-06T22:59:00Z'))).toBe(false); // 19:59
    expect(isNightTime(new Date('2026-12-06T23:00:00Z'))).toBe(true); // 20:00
    expect(isNightTime(new Date('2026-12-07T08:59:00Z'))).toBe(true); // 05:59
    expect(isNightTime(new Date('2026-12-07T09:00:00Z'))).toBe(false); // 06:00
  });
});

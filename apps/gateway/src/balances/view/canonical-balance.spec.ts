import { decodeBalanceRecord } from './balance-record';
import { canonicalVersion } from './canonical-balance';

const key = Buffer.from('acc-1');
const headers = { 'tenant-id': Buffer.from('t1') };
const fields = {
  accountId: 'acc-1',
  tenantId: 't1',
  balance: '150.00',
  version: 3,
  updatedAt: '2026-12-06T12:00:00.000Z',
};
const canonical = (change: Partial<Record<keyof typeof fields, unknown>> = {}): Buffer =>
  Buffer.from(JSON.stringify({ ...fields, ...change }));

describe('canonicalVersion (the rebuild fast path)', () => {
  it('reads the version of a record exactly as the outbox writes it', () => {
    expect(canonicalVersion(key, canonical(), headers)).toBe(3);
    expect(canonicalVersion(key, canonical({ version: 0, balance: '-0.5' }), headers)).toBe(0);
    expect(canonicalVersion(key, canonical({ balance: '1234567890123456' }), undefined)).toBe(3);
  });

  it.each([
    [
      'another field order',
      Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(fields).reverse()))),
    ],
    ['spaces', Buffer.from(JSON.stringify(fields, null, 1))],
    ['an escaped character', canonical({ tenantId: 't\u00e91' })],
    ['a version written 3.0e0', Buffer.from(canonical().toString().replace('3,', '3.0e0,'))],
    ['a date without milliseconds', canonical({ updatedAt: '2026-12-06T12:00:00Z' })],
    ['hour 24', canonical({ updatedAt: '2026-12-06T24:00:00.000Z' })],
  ])('leaves a valid record with %s to the full decoder', (_, value) => {
    expect(canonicalVersion(key, value, headers)).toBe(-1);
  });

  it.each([
    ['another account id', canonical({ accountId: 'acc-2' })],
    ['a float balance', canonical({ balance: '1.005' })],
    ['a balance with a leading zero', canonical({ balance: '01.00' })],
    ['a number balance', canonical({ balance: 150 })],
    ['a negative version', canonical({ version: -1 })],
    ['a version with a leading zero', Buffer.from(canonical().toString().replace('3,', '03,'))],
    ['an unsafe version', canonical({ version: 2 ** 60 })],
    ['month 13', canonical({ updatedAt: '2026-13-06T12:00:00.000Z' })],
    ['an empty tenant', canonical({ tenantId: '' })],
    ['trailing bytes', Buffer.concat([canonical(), Buffer.from(' ')])],
    ['a truncated value', canonical().subarray(0, 60)],
  ])('never accepts what the full decoder might reject: %s', (_, value) => {
    expect(canonicalVersion(key, value, headers)).toBe(-1);
  });

  it('never accepts a tenant header that differs from the value', () => {
    expect(canonicalVersion(key, canonical(), { 'tenant-id': Buffer.from('t2') })).toBe(-1);
    expect(decodeBalanceRecord(key, canonical(), { 'tenant-id': Buffer.from('t2') }).kind).toBe(
      'invalid',
    );
  });

  it('agrees with the full decoder on every record it accepts', () => {
    const values = [
      canonical(),
      canonical({ balance: '0' }),
      canonical({ balance: '-12.3', version: 9007199254740 }),
      canonical({ updatedAt: '2026-02-31T23:59:59.999Z' }),
    ];
    for (const value of values) {
      const version = canonicalVersion(key, value, headers);
      const decoded = decodeBalanceRecord(key, value, headers);
      expect(decoded).toEqual({ kind: 'upsert', balance: expect.objectContaining({ version }) });
    }
  });
});

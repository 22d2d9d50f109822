import { decodeBalanceRecord } from './balance-record';

const value = (fields: Record<string, unknown>): Buffer =>
  Buffer.from(
    JSON.stringify({
      accountId: 'acc-1',
      tenantId: 't1',
      balance: '150.00',
      version: 3,
      updatedAt: '2026-12-06T12:00:00.000Z',
      ...fields,
    }),
  );
const key = Buffer.from('acc-1');

describe('decodeBalanceRecord', () => {
  it('reads a record of the contract', () => {
    expect(decodeBalanceRecord(key, value({}), { 'tenant-id': Buffer.from('t1') })).toEqual({
      kind: 'upsert',
      balance: {
        accountId: 'acc-1',
        tenantId: 't1',
        balance: '150.00',
        version: 3,
        updatedAt: '2026-12-06T12:00:00.000Z',
      },
    });
  });

  it('reads a null value as the account closed', () => {
    expect(decodeBalanceRecord(key, null, {})).toEqual({ kind: 'tombstone', accountId: 'acc-1' });
  });

  it.each([
    ['a value that is not JSON', key, Buffer.from('{'), 'value is not JSON'],
    ['no key', null, value({}), 'key must be an account id'],
    ['another account than the key', key, value({ accountId: 'acc-2' }), 'accountId differs'],
    ['a float balance', key, value({ balance: 150.5 }), 'balance must be a decimal string'],
    ['a balance with an exponent', key, value({ balance: '1e3' }), 'balance must be a decimal'],
    ['a fractional version', key, value({ version: 1.5 }), 'version must be'],
    ['no tenant', key, value({ tenantId: '' }), 'tenantId must be'],
    ['an invalid instant', key, value({ updatedAt: 'yesterday' }), 'updatedAt must be'],
  ])('refuses %s', (_what, k, v, reason) => {
    const change = decodeBalanceRecord(k, v, {});
    expect(change.kind).toBe('invalid');
    expect(change.kind === 'invalid' && change.reason).toContain(reason);
  });

  it('refuses a tenant header that disagrees with the value', () => {
    const change = decodeBalanceRecord(key, value({}), { 'tenant-id': Buffer.from('t2') });
    expect(change).toMatchObject({ kind: 'invalid' });
  });
});

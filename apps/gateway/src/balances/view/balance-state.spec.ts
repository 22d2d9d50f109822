import type { AccountBalanceRecord } from '@event-hub/contracts';
import { BalanceState, bucketOf, BALANCE_BUCKETS } from './balance-state';

const record = (accountId: string, version: number, balance = '1.00'): AccountBalanceRecord => ({
  accountId,
  tenantId: 't1',
  balance,
  version,
  updatedAt: '2026-12-06T12:00:00.000Z',
});

describe('BalanceState', () => {
  it('keeps the highest version of an account: an older one never overwrites it', () => {
    const state = new BalanceState();
    expect(state.upsert(record('a', 2, '20.00'))).toBe('applied');
    expect(state.upsert(record('a', 1, '10.00'))).toBe('stale');
    expect(state.upsert(record('a', 2, '99.00'))).toBe('stale');
    expect(state.get('a')).toEqual(record('a', 2, '20.00'));
    expect(state.upsert(record('a', 3, '30.00'))).toBe('applied');
    expect(state.get('a')?.balance).toBe('30.00');
    expect(state.size).toBe(1);
  });

  it('removes an account on a tombstone', () => {
    const state = new BalanceState();
    state.upsert(record('a', 1));
    expect(state.remove('a')).toBe('removed');
    expect(state.remove('a')).toBe('absent');
    expect(state.get('a')).toBeUndefined();
    expect(state.size).toBe(0);
  });

  it('hands out only the buckets changed since the last time', () => {
    const state = new BalanceState();
    state.upsert(record('a', 1));
    const first = state.takeChangedBuckets();
    expect([...first.keys()]).toEqual([bucketOf('a')]);
    expect(first.get(bucketOf('a'))).toEqual([record('a', 1)]);
    expect(state.hasChanges()).toBe(false);
    state.upsert(record('a', 1)); // stale: nothing changed
    expect(state.takeChangedBuckets().size).toBe(0);
  });

  it('defers changes to a bucket loaded from a snapshot until it is decoded, then applies the version rule', () => {
    const state = new BalanceState();
    const index = bucketOf('a');
    const decode = jest.fn(() => [record('a', 4)]);
    state.loadBucket(index, 1, decode);
    expect(state.size).toBe(1);
    expect(state.upsert(record('a', 3, 'older'))).toBe('deferred');
    expect(state.upsert(record('b', 1))).toBe(bucketOf('b') === index ? 'deferred' : 'applied');
    expect(decode).not.toHaveBeenCalled();
    expect(state.get('a')).toEqual(record('a', 4)); // decodes: the older version is stale
    expect(decode).toHaveBeenCalledTimes(1);
    expect(state.upsert(record('a', 5, '55.00'))).toBe('applied');
    expect(state.get('a')?.balance).toBe('55.00');
  });

  it('applies a deferred tombstone when the bucket is decoded in the background', () => {
    const state = new BalanceState();
    state.loadBucket(bucketOf('a'), 1, () => [record('a', 4)]);
    expect(state.remove('a')).toBe('deferred');
    expect(state.hasUndecoded()).toBe(true);
    while (state.decodeOne());
    expect(state.hasUndecoded()).toBe(false);
    expect(state.get('a')).toBeUndefined();
    expect(state.size).toBe(0);
    expect([...state.takeChangedBuckets().keys()]).toEqual([bucketOf('a')]);
  });

  it('spreads account ids over every bucket', () => {
    const used = new Set(Array.from({ length: 10000 }, (_, i) => bucketOf(`acc-${i}`)));
    expect(used.size).toBe(BALANCE_BUCKETS);
  });
});

describe('BalanceState.ingest (records as Kafka gives them)', () => {
  const tenantHeader = { 'tenant-id': Buffer.from('t1') };
  const value = (r: AccountBalanceRecord): Buffer => Buffer.from(JSON.stringify(r));
  const ingest = (state: BalanceState, r: AccountBalanceRecord) =>
    state.ingest(Buffer.from(r.accountId), value(r), tenantHeader);

  it('applies the same version rule on the fast path as upsert does', () => {
    const state = new BalanceState();
    expect(ingest(state, record('a', 2, '20.00'))).toBe('applied');
    expect(ingest(state, record('a', 1, '10.00'))).toBe('stale');
    expect(ingest(state, record('a', 2, '99.00'))).toBe('stale');
    expect(ingest(state, record('a', 3, '123456.78'))).toBe('applied');
    expect(ingest(state, record('a', 4, '1.00'))).toBe('applied');
    expect(state.get('a')).toEqual(record('a', 4, '1.00'));
    expect(state.size).toBe(1);
  });

  it('removes an account on a tombstone, and a later record brings it back', () => {
    const state = new BalanceState();
    ingest(state, record('a', 1));
    expect(state.ingest(Buffer.from('a'), null, tenantHeader)).toBe('removed');
    expect(state.ingest(Buffer.from('a'), null, tenantHeader)).toBe('absent');
    expect(state.get('a')).toBeUndefined();
    expect(state.size).toBe(0);
    expect(state.takeChangedBuckets().get(bucketOf('a'))).toEqual([]);
    expect(ingest(state, record('a', 5))).toBe('applied');
    expect(state.get('a')).toEqual(record('a', 5));
  });

  it('reports why a record is skipped, and keeps the account as it was', () => {
    const state = new BalanceState();
    ingest(state, record('a', 1));
    const other = Buffer.from(JSON.stringify({ ...record('a', 2), accountId: 'b' }));
    expect(state.ingest(Buffer.from('a'), other, tenantHeader)).toEqual({
      invalid: 'accountId differs from the key',
    });
    expect(state.get('a')).toEqual(record('a', 1));
  });

  it('takes non-canonical and non-ASCII records through the full decoder', () => {
    const state = new BalanceState();
    const spaced = Buffer.from(JSON.stringify(record('a', 1), null, 2));
    expect(state.ingest(Buffer.from('a'), spaced, tenantHeader)).toBe('applied');
    expect(state.ingest(Buffer.from('contá'), value(record('contá', 1)), tenantHeader)).toBe(
      'applied',
    );
    expect(state.get('a')).toEqual(record('a', 1));
    expect(state.get('contá')).toEqual(record('contá', 1));
    expect(state.takeAllBuckets().get(bucketOf('contá'))).toEqual([record('contá', 1)]);
  });

  it('holds accounts added after room was reserved for them, and more than reserved', () => {
    const state = new BalanceState();
    ingest(state, record('before', 1));
    state.reserve(1000);
    const ids = Array.from({ length: 3000 }, (_, i) => `acc-${i}`);
    for (const id of ids) ingest(state, record(id, 1, '7.00'));
    expect(state.size).toBe(3001);
    expect(state.get('before')).toEqual(record('before', 1));
    expect(state.get('acc-2999')).toEqual(record('acc-2999', 1, '7.00'));
  });

  it('holds many accounts through the table growing and its values being rewritten', () => {
    const state = new BalanceState();
    const ids = Array.from({ length: 20_000 }, (_, i) => `acc-${i}`);
    for (const id of ids) ingest(state, record(id, 1, '1.00'));
    for (const id of ids) ingest(state, record(id, 2, '1234567890.99'));
    for (const id of ids.slice(0, 100)) state.ingest(Buffer.from(id), null, tenantHeader);
    expect(state.size).toBe(19_900);
    expect(state.get('acc-0')).toBeUndefined();
    expect(state.get('acc-19999')).toEqual(record('acc-19999', 2, '1234567890.99'));
    const all = state.takeAllBucketsLazily();
    const count = [...all.values()].reduce((sum, decode) => sum + decode().length, 0);
    expect(count).toBe(19_900);
    expect(all.get(bucketOf('acc-500'))?.()).toContainEqual(record('acc-500', 2, '1234567890.99'));
  });
});

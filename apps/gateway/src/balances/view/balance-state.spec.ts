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

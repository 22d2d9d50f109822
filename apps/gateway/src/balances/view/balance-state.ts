import type { AccountBalanceRecord } from '@event-hub/contracts';

/**
 * Accounts are spread over this many buckets: a snapshot rewrites only the buckets that changed
 * since the previous one. Part of the snapshot format (a snapshot with another count is rebuilt).
 */
export const BALANCE_BUCKETS = 256;

/** FNV-1a over the UTF-16 code units: cheap, stable across processes, spreads ids evenly. */
export function bucketOf(accountId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i++) {
    hash ^= accountId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BALANCE_BUCKETS;
}

/**
 * `deferred`: the account's bucket is still undecoded (warm start); the change is applied, with
 * the same version rule, when the bucket is decoded.
 */
export type ApplyOutcome = 'applied' | 'stale' | 'removed' | 'absent' | 'deferred';

type Change = { upsert: AccountBalanceRecord } | { remove: string };

/**
 * The latest balance per account as the view knows it. Older versions never overwrite newer ones
 * (a redelivered or reordered record changes nothing); a tombstone removes the account.
 */
export class BalanceState {
  private readonly buckets: Map<string, AccountBalanceRecord>[] = Array.from(
    { length: BALANCE_BUCKETS },
    () => new Map(),
  );
  private readonly dirty = new Set<number>();
  /**
   * Buckets loaded from a verified snapshot but not decoded yet: a warm start checks every
   * bucket's digest but decodes a bucket when an account of it is read, or in the background once
   * the view caught up. Changes read meanwhile wait in {@link deferred}, in order.
   */
  private readonly undecoded = new Map<number, () => AccountBalanceRecord[]>();
  private readonly deferred = new Map<number, Change[]>();
  private count = 0;

  /** Accounts held; exact once every bucket with deferred changes is decoded. */
  get size(): number {
    return this.count;
  }

  get(accountId: string): AccountBalanceRecord | undefined {
    return this.bucketAt(bucketOf(accountId)).get(accountId);
  }

  upsert(record: AccountBalanceRecord): ApplyOutcome {
    const index = bucketOf(record.accountId);
    const outcome = this.defer(index, { upsert: record })
      ? 'deferred'
      : this.applyUpsert(this.bucketAt(index), record);
    if (outcome !== 'stale') this.dirty.add(index);
    return outcome;
  }

  remove(accountId: string): ApplyOutcome {
    const index = bucketOf(accountId);
    const outcome = this.defer(index, { remove: accountId })
      ? 'deferred'
      : this.applyRemove(this.bucketAt(index), accountId);
    if (outcome !== 'absent') this.dirty.add(index);
    return outcome;
  }

  /** Whether buckets loaded from the snapshot are still undecoded. */
  hasUndecoded(): boolean {
    return this.undecoded.size > 0;
  }

  /** Decodes one undecoded bucket; false once none is left. */
  decodeOne(): boolean {
    const next = this.undecoded.keys().next();
    if (next.done) return false;
    this.bucketAt(next.value);
    return this.undecoded.size > 0;
  }

  private defer(index: number, change: Change): boolean {
    if (!this.undecoded.has(index)) return false;
    const changes = this.deferred.get(index);
    if (changes) changes.push(change);
    else this.deferred.set(index, [change]);
    return true;
  }

  private applyUpsert(
    bucket: Map<string, AccountBalanceRecord>,
    record: AccountBalanceRecord,
  ): ApplyOutcome {
    const current = bucket.get(record.accountId);
    if (current && current.version >= record.version) return 'stale';
    if (!current) this.count++;
    bucket.set(record.accountId, record);
    return 'applied';
  }

  private applyRemove(bucket: Map<string, AccountBalanceRecord>, accountId: string): ApplyOutcome {
    if (!bucket.delete(accountId)) return 'absent';
    this.count--;
    return 'removed';
  }

  /**
   * Loads one bucket from a snapshot as it was written (not marked as changed): `count` accounts,
   * decoded by `decode` on first use.
   */
  loadBucket(index: number, count: number, decode: () => AccountBalanceRecord[]): void {
    this.count -= this.bucketAt(index).size;
    this.buckets[index]?.clear();
    this.undecoded.set(index, decode);
    this.deferred.delete(index);
    this.count += count;
  }

  hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  /** The buckets changed since the last call, with their accounts; clears the changed set. */
  takeChangedBuckets(): Map<number, AccountBalanceRecord[]> {
    const changed = new Map<number, AccountBalanceRecord[]>();
    for (const index of this.dirty) changed.set(index, [...this.bucketAt(index).values()]);
    this.dirty.clear();
    return changed;
  }

  /** Every bucket with its accounts; clears the changed set. */
  takeAllBuckets(): Map<number, AccountBalanceRecord[]> {
    this.dirty.clear();
    return new Map(this.buckets.map((_, index) => [index, [...this.bucketAt(index).values()]]));
  }

  /** Marks every bucket changed, so the next snapshot writes them all (after a rebuild). */
  markAllChanged(): void {
    for (let i = 0; i < BALANCE_BUCKETS; i++) this.dirty.add(i);
  }

  private bucketAt(index: number): Map<string, AccountBalanceRecord> {
    const bucket = this.buckets[index];
    if (!bucket) throw new RangeError(`no balance bucket ${index}`);
    const decode = this.undecoded.get(index);
    if (decode) {
      this.undecoded.delete(index);
      for (const record of decode()) bucket.set(record.accountId, record);
      for (const change of this.deferred.get(index) ?? []) {
        if ('upsert' in change) this.applyUpsert(bucket, change.upsert);
        else this.applyRemove(bucket, change.remove);
      }
      this.deferred.delete(index);
    }
    return bucket;
  }

  clear(): void {
    for (const bucket of this.buckets) bucket.clear();
    this.undecoded.clear();
    this.deferred.clear();
    this.count = 0;
    this.dirty.clear();
  }
}

import type { AccountBalanceRecord } from '@event-hub/contracts';
import type { IHeaders } from 'kafkajs';
import { decodeBalanceRecord } from './balance-record';
import { BalanceTable } from './balance-table';
import { canonicalVersion, isPlain } from './canonical-balance';

/**
 * Accounts are spread over this many buckets: a snapshot rewrites only the buckets that changed
 * since the previous one. Part of the snapshot format (a snapshot with another count is rebuilt).
 */
export const BALANCE_BUCKETS = 256;

/** A canonical record of a UUID account id and a short tenant is ~150 bytes. */
const RESERVED_VALUE_BYTES = 160;
const MAX_RESERVED_ACCOUNTS = 1 << 21;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units: cheap, stable across processes, spreads ids evenly. */
export function bucketOf(accountId: string): number {
  return (fnv(accountId) >>> 0) % BALANCE_BUCKETS;
}

function fnv(accountId: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < accountId.length; i++) {
    hash ^= accountId.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * `deferred`: the account's bucket is still undecoded (warm start); the change is applied, with
 * the same version rule, when the bucket is decoded.
 */
export type ApplyOutcome = 'applied' | 'stale' | 'removed' | 'absent' | 'deferred';

/** What one record did: an outcome, or why it was skipped. */
export type IngestOutcome = ApplyOutcome | { invalid: string };

type Change = { upsert: AccountBalanceRecord } | { remove: string };

/** The id's UTF-8 bytes and hashes, for the table. */
interface IdBytes {
  bytes: Buffer;
  hash: number;
  bucket: number;
}

/**
 * The latest balance per account as the view knows it. Older versions never overwrite newer ones
 * (a redelivered or reordered record changes nothing); a tombstone removes the account.
 *
 * Accounts live in a {@link BalanceTable} (outside the JS heap) as the record's canonical JSON;
 * {@link get} decodes one on read. {@link ingest} takes a Kafka record as it comes: one of our
 * outbox's own form is checked and stored without making a string or an object
 * ({@link canonicalVersion}); anything else goes through {@link decodeBalanceRecord}.
 */
export class BalanceState {
  private readonly table = new BalanceTable();
  private readonly dirty = new Set<number>();
  /**
   * Buckets loaded from a verified snapshot but not decoded yet: a warm start checks every
   * bucket's digest but decodes a bucket when an account of it is read, or in the background once
   * the view caught up. Changes read meanwhile wait in {@link deferred}, in order.
   */
  private readonly undecoded = new Map<
    number,
    { count: number; decode: () => AccountBalanceRecord[] }
  >();
  private readonly deferred = new Map<number, Change[]>();
  /** Accounts of the undecoded buckets. */
  private undecodedCount = 0;

  /** Accounts held; exact once every bucket with deferred changes is decoded. */
  get size(): number {
    return this.table.size + this.undecodedCount;
  }

  get(accountId: string): AccountBalanceRecord | undefined {
    const id = idBytes(accountId);
    this.decodeBucket(id.bucket);
    const entry = this.table.find(id.bytes, 0, id.bytes.length, id.hash);
    if (entry < 0 || !this.table.isAlive(entry)) return undefined;
    return this.recordAt(entry);
  }

  /**
   * Applies one record of the topic (key, value, headers as Kafka gave them). The hot path of a
   * rebuild: the key's bytes are hashed in place and a canonical value is stored as it is.
   */
  ingest(key: Buffer | null, value: Buffer | null, headers: IHeaders | undefined): IngestOutcome {
    if (key === null || key.length === 0 || key.length > 200)
      return this.ingestDecoded(key, value, headers);
    let hash = FNV_OFFSET;
    let plain = true;
    for (let i = 0; i < key.length; i++) {
      const byte = key[i] as number;
      if (!isPlain(byte)) plain = false;
      hash ^= byte;
      hash = Math.imul(hash, FNV_PRIME);
    }
    hash >>>= 0;
    const bucket = hash % BALANCE_BUCKETS;
    if (!plain || this.undecoded.has(bucket)) return this.ingestDecoded(key, value, headers);
    const entry = this.table.find(key, 0, key.length, hash);
    if (value === null) {
      if (!this.table.kill(entry)) return 'absent';
      this.dirty.add(bucket);
      return 'removed';
    }
    const version = canonicalVersion(key, value, headers);
    if (version < 0) return this.ingestDecoded(key, value, headers);
    if (entry >= 0 && this.table.isAlive(entry) && this.table.version(entry) >= version) {
      return 'stale';
    }
    this.table.put(entry, key, key.length, hash, bucket, version, value, 0, value.length);
    this.dirty.add(bucket);
    return 'applied';
  }

  /** A record not of the canonical form (or of an undecoded bucket): the full decoder's way. */
  private ingestDecoded(
    key: Buffer | null,
    value: Buffer | null,
    headers: IHeaders | undefined,
  ): IngestOutcome {
    const change = decodeBalanceRecord(key, value, headers);
    if (change.kind === 'invalid') return { invalid: change.reason };
    if (change.kind === 'tombstone') return this.remove(change.accountId);
    return this.upsert(change.balance);
  }

  upsert(record: AccountBalanceRecord): ApplyOutcome {
    const id = idBytes(record.accountId);
    const outcome = this.defer(id.bucket, { upsert: record })
      ? 'deferred'
      : this.applyUpsert(id, record);
    if (outcome !== 'stale') this.dirty.add(id.bucket);
    return outcome;
  }

  remove(accountId: string): ApplyOutcome {
    const id = idBytes(accountId);
    const outcome = this.defer(id.bucket, { remove: accountId })
      ? 'deferred'
      : this.applyRemove(id);
    if (outcome !== 'absent') this.dirty.add(id.bucket);
    return outcome;
  }

  /**
   * Room for about `accounts` accounts before a rebuild (values sized at
   * {@link RESERVED_VALUE_BYTES} each), capped at {@link MAX_RESERVED_ACCOUNTS}: beyond it the table
   * grows as it fills.
   */
  reserve(accounts: number): void {
    const count = Math.min(accounts, MAX_RESERVED_ACCOUNTS);
    this.table.reserve(count, count * RESERVED_VALUE_BYTES);
  }

  /** Whether buckets loaded from the snapshot are still undecoded. */
  hasUndecoded(): boolean {
    return this.undecoded.size > 0;
  }

  /** Decodes one undecoded bucket; false once none is left. */
  decodeOne(): boolean {
    const next = this.undecoded.keys().next();
    if (next.done) return false;
    this.decodeBucket(next.value);
    return this.undecoded.size > 0;
  }

  private defer(index: number, change: Change): boolean {
    if (!this.undecoded.has(index)) return false;
    const changes = this.deferred.get(index);
    if (changes) changes.push(change);
    else this.deferred.set(index, [change]);
    return true;
  }

  private applyUpsert(id: IdBytes, record: AccountBalanceRecord): ApplyOutcome {
    const entry = this.table.find(id.bytes, 0, id.bytes.length, id.hash);
    if (entry >= 0 && this.table.isAlive(entry) && this.table.version(entry) >= record.version) {
      return 'stale';
    }
    const value = Buffer.from(canonicalJson(record), 'utf8');
    this.table.put(
      entry,
      id.bytes,
      id.bytes.length,
      id.hash,
      id.bucket,
      record.version,
      value,
      0,
      value.length,
    );
    return 'applied';
  }

  private applyRemove(id: IdBytes): ApplyOutcome {
    const entry = this.table.find(id.bytes, 0, id.bytes.length, id.hash);
    return this.table.kill(entry) ? 'removed' : 'absent';
  }

  /**
   * Loads one bucket from a snapshot as it was written (not marked as changed): `count` accounts,
   * decoded by `decode` on first use. The state holds nothing of that bucket yet (a restore starts
   * from {@link clear}).
   */
  loadBucket(index: number, count: number, decode: () => AccountBalanceRecord[]): void {
    const previous = this.undecoded.get(index);
    if (previous) this.undecodedCount -= previous.count;
    this.undecoded.set(index, { count, decode });
    this.deferred.delete(index);
    this.undecodedCount += count;
  }

  hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  /** The buckets changed since the last call, with their accounts; clears the changed set. */
  takeChangedBuckets(): Map<number, AccountBalanceRecord[]> {
    const changed = this.recordsOf(this.dirty);
    this.dirty.clear();
    return changed;
  }

  /** Every bucket with its accounts; clears the changed set. */
  takeAllBuckets(): Map<number, AccountBalanceRecord[]> {
    this.dirty.clear();
    return this.recordsOf(allBuckets());
  }

  /**
   * Every bucket, each to be decoded when its function is called: a copy of the stored bytes,
   * taken at once (a memory copy, no decoding), so the state may move on meanwhile. For the first
   * snapshot after a rebuild, which encodes a bucket per turn of the event loop. Clears the
   * changed set.
   */
  takeAllBucketsLazily(): Map<number, () => AccountBalanceRecord[]> {
    this.dirty.clear();
    for (const index of allBuckets()) this.decodeBucket(index);
    const lengths = Array.from({ length: BALANCE_BUCKETS }, () => 0);
    this.table.forEachLive((entry) => {
      const bucket = this.table.bucket(entry);
      lengths[bucket] = (lengths[bucket] as number) + this.table.value(entry).length + 1;
    });
    const copies = lengths.map((length) => ({ bytes: Buffer.allocUnsafe(length), used: 0 }));
    this.table.forEachLive((entry) => {
      const copy = copies[this.table.bucket(entry)] as { bytes: Buffer; used: number };
      copy.used += this.table.value(entry).copy(copy.bytes, copy.used);
      copy.bytes[copy.used++] = 0x2c; // ','
    });
    return new Map(
      copies.map(({ bytes }, index) => [
        index,
        () =>
          bytes.length === 0
            ? []
            : (JSON.parse(
                `[${bytes.toString('utf8', 0, bytes.length - 1)}]`,
              ) as AccountBalanceRecord[]),
      ]),
    );
  }

  /** Marks every bucket changed, so the next snapshot writes them all (after a rebuild). */
  markAllChanged(): void {
    for (let i = 0; i < BALANCE_BUCKETS; i++) this.dirty.add(i);
  }

  private recordsOf(indexes: Iterable<number>): Map<number, AccountBalanceRecord[]> {
    const result = new Map<number, AccountBalanceRecord[]>();
    for (const index of indexes) {
      this.decodeBucket(index);
      result.set(index, []);
    }
    this.table.forEachLive((entry) =>
      result.get(this.table.bucket(entry))?.push(this.recordAt(entry)),
    );
    return result;
  }

  private recordAt(entry: number): AccountBalanceRecord {
    return JSON.parse(this.table.value(entry).toString('utf8')) as AccountBalanceRecord;
  }

  /** Decodes the bucket if it is still undecoded, then applies the changes deferred for it. */
  private decodeBucket(index: number): void {
    const undecoded = this.undecoded.get(index);
    if (!undecoded) return;
    this.undecoded.delete(index);
    this.undecodedCount -= undecoded.count;
    for (const record of undecoded.decode()) this.applyUpsert(idBytes(record.accountId), record);
    for (const change of this.deferred.get(index) ?? []) {
      if ('upsert' in change) this.applyUpsert(idBytes(change.upsert.accountId), change.upsert);
      else this.applyRemove(idBytes(change.remove));
    }
    this.deferred.delete(index);
  }

  clear(): void {
    this.table.clear();
    this.undecoded.clear();
    this.deferred.clear();
    this.undecodedCount = 0;
    this.dirty.clear();
  }
}

/** The table hashes the id's UTF-8 bytes (as {@link BalanceState.ingest} reads them from a key). */
function idBytes(accountId: string): IdBytes {
  const bytes = Buffer.from(accountId, 'utf8');
  let hash = FNV_OFFSET;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return { bytes, hash: hash >>> 0, bucket: bucketOf(accountId) };
}

/** The value as stored: the form our outbox writes, so a reread takes the fast path too. */
function canonicalJson(record: AccountBalanceRecord): string {
  const { accountId, tenantId, balance, version, updatedAt } = record;
  return JSON.stringify({ accountId, tenantId, balance, version, updatedAt });
}

function allBuckets(): number[] {
  return Array.from({ length: BALANCE_BUCKETS }, (_, index) => index);
}

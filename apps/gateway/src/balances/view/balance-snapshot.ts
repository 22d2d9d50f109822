import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AccountBalanceRecord } from '@event-hub/contracts';
import { BALANCE_BUCKETS } from './balance-state';

/** Bumped when the layout or the encoding changes: an older snapshot is then rebuilt. */
const FORMAT = '2';

type Row = [string, string, string, number, string];

/** One verified bucket: how many accounts it holds, decoded on demand. */
export interface SnapshotBucket {
  count: number;
  decode: () => AccountBalanceRecord[];
}

/** A verified snapshot: the buckets and the next offset of each partition. */
export interface LoadedSnapshot {
  buckets: Map<number, SnapshotBucket>;
  offsets: Map<number, string>;
}

export type SnapshotLoad =
  | { status: 'loaded'; snapshot: LoadedSnapshot }
  | { status: 'missing' }
  | { status: 'invalid'; reason: string };

const sha256 = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

function encodeBucket(records: readonly AccountBalanceRecord[]): Buffer {
  const rows: Row[] = records.map((r) => [
    r.accountId,
    r.tenantId,
    r.balance,
    r.version,
    r.updatedAt,
  ]);
  return Buffer.from(JSON.stringify(rows), 'utf8');
}

interface EncodedBucket {
  id: number;
  body: Buffer;
  digest: string;
  count: number;
}

function encodedBucket(id: number, records: readonly AccountBalanceRecord[]): EncodedBucket {
  const body = encodeBucket(records);
  return { id, body, digest: sha256(body), count: records.length };
}

function decodeBucket(body: Uint8Array): AccountBalanceRecord[] {
  const rows = JSON.parse(Buffer.from(body).toString('utf8')) as Row[];
  return rows.map(([accountId, tenantId, balance, version, updatedAt]) => ({
    accountId,
    tenantId,
    balance,
    version,
    updatedAt,
  }));
}

/**
 * The balance view's local snapshot: a SQLite file (Node's built-in `node:sqlite`, nothing to
 * install) holding the accounts in {@link BALANCE_BUCKETS} buckets, each with the SHA-256 of its
 * body, and the next offset of each partition; a manifest digest over the topic, the offsets and
 * every bucket's digest ties them together. Buckets and offsets are written in one transaction,
 * so a crash leaves the previous snapshot whole. Loading verifies every digest: anything that
 * does not match (a tampered row, a truncated file, another topic) is reported invalid and the
 * caller rebuilds from the topic.
 */
export class BalanceSnapshot {
  private db?: DatabaseSync;
  /**
   * Who wrote the file last. A write adds only the buckets changed since this instance's previous
   * write, which is right only if nobody else wrote in between: when the file has another owner
   * (two gateways given one path), the write is a full one.
   */
  private readonly owner = randomUUID();

  constructor(
    readonly path: string,
    private readonly topic: string,
  ) {}

  load(): SnapshotLoad {
    let db: DatabaseSync;
    try {
      db = this.open();
    } catch (error) {
      return { status: 'invalid', reason: `cannot open: ${String(error)}` };
    }
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      return { status: 'invalid', reason: `unreadable: ${String(error)}` };
    }
    let result: SnapshotLoad;
    try {
      result = this.verify(db);
      if (result.status === 'loaded') this.putMeta(db, 'owner', this.owner);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      result = { status: 'invalid', reason: `unreadable: ${String(error)}` };
    }
    return result;
  }

  private verify(db: DatabaseSync): SnapshotLoad {
    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map(
        (r) => [r.key, r.value],
      ),
    );
    if (meta.size === 0) return { status: 'missing' };
    if (meta.get('format') !== FORMAT) return { status: 'invalid', reason: 'another format' };
    if (meta.get('topic') !== this.topic) return { status: 'invalid', reason: 'another topic' };
    if (meta.get('buckets') !== String(BALANCE_BUCKETS)) {
      return { status: 'invalid', reason: 'another bucket count' };
    }
    const offsets = this.readOffsets(db);
    const buckets = new Map<number, SnapshotBucket>();
    const digests = new Map<number, string>();
    const rows = db
      .prepare('SELECT id, body, sha256, accounts FROM buckets')
      .iterate() as Iterable<{
      id: number;
      body: Uint8Array;
      sha256: string;
      accounts: number;
    }>;
    for (const { id, body, sha256: digest, accounts } of rows) {
      // The count is part of what the digest covers (it is not in the body's JSON).
      if (sha256(body) !== digest) {
        return { status: 'invalid', reason: `bucket ${id} does not match its digest` };
      }
      digests.set(id, `${digest}:${accounts}`);
      buckets.set(id, { count: accounts, decode: () => decodeBucket(body) });
    }
    if (this.manifest(offsets, digests) !== meta.get('manifest')) {
      return { status: 'invalid', reason: 'manifest digest does not match' };
    }
    return { status: 'loaded', snapshot: { buckets, offsets } };
  }

  /**
   * Writes the buckets changed since this instance's last write (all of them when another
   * instance wrote the file since) and the offsets the state stands at, atomically.
   */
  write(
    changedBuckets: () => ReadonlyMap<number, readonly AccountBalanceRecord[]>,
    allBuckets: () => ReadonlyMap<number, readonly AccountBalanceRecord[]>,
    offsets: ReadonlyMap<number, string>,
  ): void {
    const db = this.open();
    db.exec('BEGIN IMMEDIATE');
    try {
      const owner = db.prepare("SELECT value FROM meta WHERE key = 'owner'").get() as
        { value: string } | undefined;
      const changed = owner?.value === this.owner ? changedBuckets() : allBuckets();
      this.commit(
        db,
        [...changed].map(([id, records]) => encodedBucket(id, records)),
        offsets,
      );
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * Writes every bucket and the offsets, as {@link write} does, but encodes (JSON and SHA-256, the
   * costly part: ~130 MB for a million accounts) one bucket per turn of the event loop, so the
   * first snapshot after a rebuild does not hold requests for seconds. The buckets (each decoded
   * when its turn comes) must be a copy taken with the offsets (the state moves on meanwhile); only the final transaction is
   * synchronous, so the file still changes atomically.
   */
  async writeAll(
    buckets: ReadonlyMap<number, () => readonly AccountBalanceRecord[]>,
    offsets: ReadonlyMap<number, string>,
  ): Promise<void> {
    const encoded: EncodedBucket[] = [];
    for (const [id, records] of buckets) {
      encoded.push(encodedBucket(id, records()));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const db = this.open();
    db.exec('BEGIN IMMEDIATE');
    try {
      this.commit(db, encoded, offsets);
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Inside an open transaction: puts the buckets, the offsets and the manifest, then commits. */
  private commit(
    db: DatabaseSync,
    buckets: readonly EncodedBucket[],
    offsets: ReadonlyMap<number, string>,
  ): void {
    const putBucket = db.prepare(
      'INSERT INTO buckets (id, body, sha256, accounts) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET body = excluded.body, sha256 = excluded.sha256, ' +
        'accounts = excluded.accounts',
    );
    for (const { id, body, digest, count } of buckets) putBucket.run(id, body, digest, count);
    db.exec('DELETE FROM offsets');
    const putOffset = db.prepare('INSERT INTO offsets (partition, next_offset) VALUES (?, ?)');
    for (const [partition, offset] of offsets) putOffset.run(partition, offset);
    const digests = new Map(
      (
        db.prepare('SELECT id, sha256, accounts FROM buckets').all() as {
          id: number;
          sha256: string;
          accounts: number;
        }[]
      ).map((r) => [r.id, `${r.sha256}:${r.accounts}`]),
    );
    this.putMeta(db, 'format', FORMAT);
    this.putMeta(db, 'topic', this.topic);
    this.putMeta(db, 'buckets', String(BALANCE_BUCKETS));
    this.putMeta(db, 'manifest', this.manifest(this.readOffsets(db), digests));
    this.putMeta(db, 'owner', this.owner);
    this.putMeta(db, 'writtenAt', new Date().toISOString());
    db.exec('COMMIT');
  }

  /** Deletes the file (and its journal), so the next write starts a fresh snapshot. */
  discard(): void {
    this.close();
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      rmSync(this.path + suffix, { force: true });
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  private open(): DatabaseSync {
    if (this.db) return this.db;
    mkdirSync(dirname(this.path), { recursive: true });
    const db = new DatabaseSync(this.path, { timeout: 5000 });
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec(
        'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);' +
          'CREATE TABLE IF NOT EXISTS offsets (partition INTEGER PRIMARY KEY, next_offset TEXT NOT NULL);' +
          'CREATE TABLE IF NOT EXISTS buckets (id INTEGER PRIMARY KEY, body BLOB NOT NULL, sha256 TEXT NOT NULL, accounts INTEGER NOT NULL);',
      );
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    return db;
  }

  private putMeta(db: DatabaseSync, key: string, value: string): void {
    db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  private readOffsets(db: DatabaseSync): Map<number, string> {
    const rows = db
      .prepare('SELECT partition, next_offset FROM offsets ORDER BY partition')
      .all() as { partition: number; next_offset: string }[];
    return new Map(rows.map((r) => [r.partition, r.next_offset]));
  }

  private manifest(
    offsets: ReadonlyMap<number, string>,
    digests: ReadonlyMap<number, string>,
  ): string {
    const parts = [`format=${FORMAT}`, `topic=${this.topic}`, `buckets=${BALANCE_BUCKETS}`];
    for (const [p, o] of [...offsets].sort((a, b) => a[0] - b[0])) parts.push(`offset:${p}=${o}`);
    for (const [id, d] of [...digests].sort((a, b) => a[0] - b[0])) parts.push(`bucket:${id}=${d}`);
    return sha256(parts.join('\n'));
  }
}

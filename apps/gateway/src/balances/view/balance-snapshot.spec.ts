import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AccountBalanceRecord } from '@event-hub/contracts';
import { BalanceSnapshot } from './balance-snapshot';

const record = (accountId: string, version: number): AccountBalanceRecord => ({
  accountId,
  tenantId: 't1',
  balance: `${version}.00`,
  version,
  updatedAt: '2026-12-06T12:00:00.000Z',
});

describe('BalanceSnapshot (a real SQLite file)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'balance-snapshot-'));
    path = join(dir, 'snapshot.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (
    snapshot: BalanceSnapshot,
    changed: Map<number, AccountBalanceRecord[]>,
    all: Map<number, AccountBalanceRecord[]>,
    offsets: Map<number, string>,
  ): void =>
    snapshot.write(
      () => changed,
      () => all,
      offsets,
    );

  it('reports a missing snapshot, then loads what was written', () => {
    const snapshot = new BalanceSnapshot(path, 'balances');
    expect(snapshot.load()).toEqual({ status: 'missing' });
    const buckets = new Map([[7, [record('a', 1)]]]);
    write(snapshot, buckets, buckets, new Map([[0, '12']]));
    snapshot.close();

    const loaded = new BalanceSnapshot(path, 'balances').load();
    if (loaded.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
    expect(loaded.snapshot.offsets).toEqual(new Map([[0, '12']]));
    expect([...loaded.snapshot.buckets.keys()]).toEqual([7]);
    expect(loaded.snapshot.buckets.get(7)?.count).toBe(1);
    expect(loaded.snapshot.buckets.get(7)?.decode()).toEqual([record('a', 1)]);
  });

  it('writes every bucket over several turns of the event loop, loaded like any other write', async () => {
    const snapshot = new BalanceSnapshot(path, 'balances');
    const buckets = new Map([
      [3, () => [record('a', 2), record('b', 1)]],
      [9, () => [record('c', 5)]],
    ]);
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    await snapshot.writeAll(buckets, new Map([[0, '40']]));
    snapshot.close();

    const loaded = new BalanceSnapshot(path, 'balances').load();
    if (loaded.status !== 'loaded') throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
    expect(loaded.snapshot.offsets).toEqual(new Map([[0, '40']]));
    expect(loaded.snapshot.buckets.get(3)?.decode()).toEqual([record('a', 2), record('b', 1)]);
    expect(loaded.snapshot.buckets.get(9)?.count).toBe(1);
    expect(otherWorkRan).toBe(true);
  });

  it('refuses a snapshot of another topic', () => {
    const snapshot = new BalanceSnapshot(path, 'balances');
    write(snapshot, new Map(), new Map(), new Map([[0, '1']]));
    snapshot.close();
    expect(new BalanceSnapshot(path, 'other').load()).toEqual({
      status: 'invalid',
      reason: 'another topic',
    });
  });

  it('detects a bucket whose account count was changed behind its back', () => {
    const snapshot = new BalanceSnapshot(path, 'balances');
    const buckets = new Map([[1, [record('a', 1)]]]);
    write(snapshot, buckets, buckets, new Map([[0, '5']]));
    snapshot.close();
    const file = new DatabaseSync(path);
    file.exec('UPDATE buckets SET accounts = 2');
    file.close();
    expect(new BalanceSnapshot(path, 'balances').load()).toEqual({
      status: 'invalid',
      reason: 'manifest digest does not match',
    });
  });

  it('detects offsets changed behind its back', () => {
    const snapshot = new BalanceSnapshot(path, 'balances');
    write(snapshot, new Map([[1, [record('a', 1)]]]), new Map(), new Map([[0, '5']]));
    snapshot.close();
    const file = new DatabaseSync(path);
    file.exec("UPDATE offsets SET next_offset = '4'");
    file.close();
    expect(new BalanceSnapshot(path, 'balances').load()).toEqual({
      status: 'invalid',
      reason: 'manifest digest does not match',
    });
  });

  it('writes every bucket when another instance wrote the file since its own last write', () => {
    const first = new BalanceSnapshot(path, 'balances');
    const second = new BalanceSnapshot(path, 'balances');
    const all = new Map([
      [1, [record('a', 2)]],
      [2, [record('b', 2)]],
    ]);
    write(first, all, all, new Map([[0, '2']]));
    write(
      second,
      new Map([[1, [record('a', 1)]]]),
      new Map([[1, [record('a', 1)]]]),
      new Map([[0, '1']]),
    );
    // first's changes since its last write are only bucket 2: it must still write bucket 1 again.
    write(
      first,
      new Map([[2, [record('b', 3)]]]),
      new Map([
        [1, [record('a', 2)]],
        [2, [record('b', 3)]],
      ]),
      new Map([[0, '3']]),
    );
    first.close();
    second.close();
    const loaded = new BalanceSnapshot(path, 'balances').load();
    expect(loaded.status === 'loaded' && loaded.snapshot.buckets.get(1)?.decode()).toEqual([
      record('a', 2),
    ]);
  });
});

import { OffsetWatermarks, PartitionTracker } from './offset-watermarks';

describe('offset watermarks', () => {
  it('commits only up to the lowest offset not yet stored', () => {
    const tracker = new PartitionTracker('t', 0);
    for (const offset of [10, 11, 12, 13]) tracker.track(offset);
    // Reading started at 10: nothing new to commit yet.
    expect(tracker.committable()).toBeUndefined();

    tracker.markStored(12);
    tracker.markStored(13);
    expect(tracker.committable()).toBeUndefined();

    tracker.markStored(10);
    expect(tracker.committable()).toBe(11);

    tracker.markStored(11);
    expect(tracker.committable()).toBe(14);
    expect(tracker.pending).toBe(0);
  });

  it('never moves past an earlier failure, however many later records succeed', () => {
    const tracker = new PartitionTracker('t', 0);
    for (let offset = 0; offset < 1000; offset++) tracker.track(offset);
    for (let offset = 0; offset < 1000; offset++) if (offset !== 3) tracker.markStored(offset);
    expect(tracker.committable()).toBe(3);
    tracker.markStored(3);
    expect(tracker.committable()).toBe(1000);
  });

  it('handles offset gaps (compaction, transaction markers)', () => {
    const tracker = new PartitionTracker('t', 0);
    for (const offset of [5, 9, 30]) tracker.track(offset);
    tracker.markStored(5);
    expect(tracker.committable()).toBe(9);
    tracker.markStored(30);
    tracker.markStored(9);
    expect(tracker.committable()).toBe(31);
  });

  it('offers each offset for commit once', () => {
    const tracker = new PartitionTracker('t', 0);
    tracker.track(0);
    tracker.markStored(0);
    expect(tracker.committable()).toBe(1);
    tracker.markCommitted(1);
    expect(tracker.committable()).toBeUndefined();
    tracker.track(1);
    expect(tracker.committable()).toBeUndefined();
    tracker.markStored(1);
    expect(tracker.committable()).toBe(2);
  });

  it('starts over when a partition is read again from an earlier offset', () => {
    const tracker = new PartitionTracker('t', 0);
    for (const offset of [0, 1, 2]) tracker.track(offset);
    tracker.markStored(0);
    tracker.markCommitted(1);
    // Rebalance: the partition is read again from the committed offset.
    tracker.track(1);
    tracker.track(2);
    expect(tracker.pending).toBe(2);
    // A late result from the first read is still true: offset 2 is stored.
    tracker.markStored(2);
    expect(tracker.committable()).toBeUndefined();
    tracker.markStored(1);
    expect(tracker.committable()).toBe(3);
  });

  it('ignores results for offsets it does not track', () => {
    const tracker = new PartitionTracker('t', 0);
    tracker.track(7);
    tracker.markStored(3);
    tracker.markStored(8);
    expect(tracker.committable()).toBeUndefined();
    tracker.markStored(7);
    expect(tracker.committable()).toBe(8);
  });

  it('stays correct across internal compaction of long runs', () => {
    const tracker = new PartitionTracker('t', 0);
    for (let offset = 0; offset < 20000; offset++) tracker.track(offset);
    for (let offset = 0; offset < 15000; offset++) tracker.markStored(offset);
    expect(tracker.committable()).toBe(15000);
    tracker.markStored(19999);
    for (let offset = 15000; offset < 19999; offset++) tracker.markStored(offset);
    expect(tracker.committable()).toBe(20000);
  });

  it('steps over offsets that hold nothing to store (transaction markers), up to the end', () => {
    const tracker = new PartitionTracker('t', 0);
    for (const offset of [0, 1]) tracker.track(offset);
    tracker.passOver(2); // the commit marker after records 0 and 1
    tracker.markStored(1);
    expect(tracker.committable()).toBeUndefined();
    tracker.markStored(0);
    expect(tracker.committable()).toBe(3);
    tracker.passOver(1); // already behind: no effect
    expect(tracker.pending).toBe(0);
  });

  it('forgets the partitions of deleted topics', () => {
    const watermarks = new OffsetWatermarks();
    watermarks.tracker('gone', 0).track(0);
    watermarks.tracker('kept', 0).track(0);
    watermarks.forget(['gone']);
    expect(watermarks.all().map((t) => t.topic)).toEqual(['kept']);
  });

  it('lists committable offsets per partition and forgets partitions it lost in a rebalance', () => {
    const watermarks = new OffsetWatermarks();
    const a0 = watermarks.tracker('a', 0);
    const a1 = watermarks.tracker('a', 1);
    const b0 = watermarks.tracker('b', 0);
    for (const tracker of [a0, a1, b0]) tracker.track(0);
    a0.markStored(0);
    b0.markStored(0);
    expect(watermarks.committable()).toEqual([
      { topic: 'a', partition: 0, offset: '1' },
      { topic: 'b', partition: 0, offset: '1' },
    ]);
    expect(watermarks.pending).toBe(1);

    watermarks.retain({ a: [1] });
    expect(watermarks.all().map((t) => `${t.topic}-${t.partition}`)).toEqual(['a-1']);
    expect(watermarks.tracker('a', 1)).toBe(a1);
  });
});

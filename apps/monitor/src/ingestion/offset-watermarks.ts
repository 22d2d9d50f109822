/**
 * Tracks, for one partition, which read records are stored (in Elasticsearch, the dead-letter
 * index or an fsync'd fallback file) so the committed offset never passes a record that is not:
 * the commit point is the lowest offset still unstored, or one past the last read record when
 * everything is stored. Records are stored out of order (several bulks in flight), so a later
 * success never moves the commit point past an earlier failure.
 *
 * Offsets are tracked in read order, which is increasing within a partition; reading an offset
 * at or below the last tracked one means the partition was re-read (rebalance, restart, seek), and
 * the tracking starts over from there. Marking a stale offset stored stays correct, because
 * "the record at this offset is stored" is true whichever read stored it.
 *
 * Offsets are JavaScript numbers: exact up to 2^53, far beyond any real partition.
 */
export class PartitionTracker {
  private offsets: number[] = [];
  private stored: boolean[] = [];
  private head = 0;
  private lastTracked = -1;
  private committed = -1;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  track(offset: number): void {
    if (offset <= this.lastTracked) this.restartAt();
    // The first read starts at the group's committed offset (or the log start): nothing to commit yet.
    if (this.committed < 0) this.committed = offset;
    this.offsets.push(offset);
    this.stored.push(false);
    this.lastTracked = offset;
  }

  /**
   * Offsets up to `offset` that hold nothing to store (transaction markers, records of aborted
   * transactions: read_committed never hands them over). Stepping over them lets the commit reach
   * the partition's end, so lag measured from the broker's end offset can drop to 0.
   */
  passOver(offset: number): void {
    if (offset <= this.lastTracked) return;
    this.track(offset);
    this.markStored(offset);
  }

  markStored(offset: number): void {
    const index = this.find(offset);
    if (index < 0) return;
    this.stored[index] = true;
    while (this.head < this.offsets.length && this.stored[this.head]) this.head++;
    if (this.head > 4096 && this.head * 2 > this.offsets.length) this.compact();
  }

  /** The offset to commit (next record to read), or undefined when nothing new is committable. */
  committable(): number | undefined {
    if (this.lastTracked < 0) return undefined;
    const next =
      this.head < this.offsets.length ? (this.offsets[this.head] as number) : this.lastTracked + 1;
    return next > this.committed ? next : undefined;
  }

  markCommitted(offset: number): void {
    if (offset > this.committed) this.committed = offset;
  }

  /** Records read and not yet stored. */
  get pending(): number {
    return this.offsets.length - this.head;
  }

  private restartAt(): void {
    this.offsets = [];
    this.stored = [];
    this.head = 0;
    // A re-read starts at the committed offset or before it; nothing committed is undone.
    this.lastTracked = -1;
  }

  /** Binary search among the unstored tail; offsets increase along the array. */
  private find(offset: number): number {
    let low = this.head;
    let high = this.offsets.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.offsets[mid] as number;
      if (value === offset) return mid;
      if (value < offset) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  private compact(): void {
    this.offsets = this.offsets.slice(this.head);
    this.stored = this.stored.slice(this.head);
    this.head = 0;
  }
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka commits it. */
  offset: string;
}

/** The trackers of every partition one consumer reads. */
export class OffsetWatermarks {
  private readonly trackers = new Map<string, PartitionTracker>();

  tracker(topic: string, partition: number): PartitionTracker {
    const key = `${topic}\u0000${partition}`;
    let tracker = this.trackers.get(key);
    if (!tracker) {
      tracker = new PartitionTracker(topic, partition);
      this.trackers.set(key, tracker);
    }
    return tracker;
  }

  /** Offsets that can be committed now, one per partition that advanced. */
  committable(): TopicPartitionOffset[] {
    const result: TopicPartitionOffset[] = [];
    for (const tracker of this.trackers.values()) {
      const offset = tracker.committable();
      if (offset !== undefined) {
        result.push({ topic: tracker.topic, partition: tracker.partition, offset: String(offset) });
      }
    }
    return result;
  }

  markCommitted(offsets: readonly TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      this.tracker(topic, partition).markCommitted(Number(offset));
    }
  }

  /** Forgets topics that were deleted: committing their offsets would fail the whole commit. */
  forget(topics: readonly string[]): void {
    for (const [key, tracker] of this.trackers) {
      if (topics.includes(tracker.topic)) this.trackers.delete(key);
    }
  }

  /** Forgets partitions this consumer no longer owns after a rebalance (it must not commit them). */
  retain(assignment: Record<string, number[]>): void {
    for (const [key, tracker] of this.trackers) {
      if (!(assignment[tracker.topic] ?? []).includes(tracker.partition)) this.trackers.delete(key);
    }
  }

  get pending(): number {
    let total = 0;
    for (const tracker of this.trackers.values()) total += tracker.pending;
    return total;
  }

  all(): PartitionTracker[] {
    return [...this.trackers.values()];
  }
}

import type { Offsets } from 'kafkajs';

interface PendingCommit {
  topic: string;
  partition: number;
  /** The next offset to read. */
  offset: string;
  commit: (offsets: Offsets) => Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Merges the commits requested in one turn of the event loop (the partitions of one fetch that
 * finished together) into one OffsetCommit request: on a small box round trips, not bytes, are the
 * cost. The commit goes through the eachBatch payload's `commitOffsetsIfNecessary`, which, unlike
 * `consumer.commitOffsets`, still commits while the consumer stops.
 *
 * Given `batchesInFlight` (the handlers running, those waiting here included), a commit also
 * waits for the batches still being handled: the partitions of a fetch handled at once then commit
 * in one request however far apart they finish. A batch that ends without committing (failed,
 * nothing to commit) calls {@link batchEnded}.
 */
export class OffsetCommits {
  private pending: PendingCommit[] = [];
  private scheduled = false;

  constructor(
    private readonly committed?: (seconds: number, partitions: number) => void,
    private readonly batchesInFlight?: () => number,
  ) {}

  commit(
    topic: string,
    partition: number,
    offset: string,
    commit: PendingCommit['commit'],
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ topic, partition, offset, commit, resolve, reject });
      this.schedule();
    });
  }

  /** A batch ended without a commit: the ones waiting for it may go. */
  batchEnded(): void {
    if (this.pending.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    // Every batch in flight is one of those waiting here, or it would still add its own.
    if (this.batchesInFlight && this.batchesInFlight() > this.pending.length) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const unit = this.pending;
    this.pending = [];
    this.scheduled = false;
    const byTopic = new Map<string, Map<number, string>>();
    for (const { topic, partition, offset } of unit) {
      const partitions = byTopic.get(topic) ?? new Map<number, string>();
      const known = partitions.get(partition);
      if (known === undefined || BigInt(offset) > BigInt(known)) partitions.set(partition, offset);
      byTopic.set(topic, partitions);
    }
    const started = process.hrtime.bigint();
    try {
      await unit[0]?.commit({
        topics: [...byTopic].map(([topic, partitions]) => ({
          topic,
          partitions: [...partitions].map(([partition, offset]) => ({ partition, offset })),
        })),
      });
      this.committed?.(Number(process.hrtime.bigint() - started) / 1e9, unit.length);
      for (const { resolve } of unit) resolve();
    } catch (error) {
      for (const { reject } of unit) reject(error);
    }
  }
}

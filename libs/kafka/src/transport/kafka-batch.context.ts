import { BaseRpcContext } from '@nestjs/microservices';
import type { Batch, KafkaMessage } from 'kafkajs';

/** What a batch handler may do to the consumer that fetched its batch. */
export interface BatchControls {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
  /** Pauses the subscription's topics (kept across consumer restarts); returns its resume. */
  pause(): () => void;
}

/**
 * `@Ctx()` of a batch handler. Nothing is committed unless the handler resolves an offset and then
 * succeeds: a handler that stops early (rebalance, shutdown, a paused dependency) resolves the last
 * record it finished, and the rest is fetched again.
 */
export class KafkaBatchContext extends BaseRpcContext<[batch: Batch]> {
  private resolved: string | undefined;

  constructor(
    private readonly batch: Batch,
    private readonly controls: BatchControls,
  ) {
    super([batch]);
  }

  get topic(): string {
    return this.batch.topic;
  }

  get partition(): number {
    return this.batch.partition;
  }

  get messages(): KafkaMessage[] {
    return this.batch.messages;
  }

  /** The batch's last offset, past its last message when transaction markers end it. */
  get lastOffset(): string {
    return this.batch.lastOffset();
  }

  heartbeat(): Promise<void> {
    return this.controls.heartbeat();
  }

  /** True once the batch must be left: the consumer stops or the partition was reassigned. */
  isStale(): boolean {
    return !this.controls.isRunning() || this.controls.isStale();
  }

  /**
   * Marks every record up to `offset` done: it is committed once the handler succeeds (in deferred
   * mode: it is not fetched again, and the feature commits it itself).
   */
  resolveOffset(offset: string): void {
    if (this.resolved === undefined || BigInt(offset) > BigInt(this.resolved))
      this.resolved = offset;
  }

  pause(): () => void {
    return this.controls.pause();
  }

  /**
   * The last offset to commit, or undefined. A batch whose last record is done is done up to its
   * last offset: past it lie only transaction markers or aborted records, and committing over them
   * keeps the measured lag at zero.
   */
  doneOffset(): string | undefined {
    if (this.resolved === undefined) return undefined;
    const last = this.batch.messages.at(-1)?.offset;
    return last !== undefined && this.resolved === last ? this.batch.lastOffset() : this.resolved;
  }
}

import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { KafkaBatchSubscription } from './kafka-batch-subscription';
import { OffsetCommits } from './offset-commits';

/** How long after a crash kafkajs does not recover from a new consumer is started. */
export const RESTART_AFTER_CRASH_MS = 1000;

export type BatchHandler = (payload: EachBatchPayload, member: GroupMember) => Promise<void>;

/**
 * One kafkajs consumer of a subscription, replaced when kafkajs gives up on it (it does on errors
 * it deems fatal, such as no coordinator right after the broker came back: a consumer left dead
 * would never read again). Pauses asked by handlers outlive the replacement.
 */
export class GroupMember {
  private readonly logger: Logger;
  /** Commits of this group's partitions that finish together go out as one request. */
  readonly commits = new OffsetCommits((seconds, partitions) =>
    this.subscription.onEvent?.({ type: 'committed', seconds, partitions }),
  );
  private consumer: Consumer | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private pauses = 0;
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    readonly subscription: KafkaBatchSubscription,
    private readonly handle: BatchHandler,
  ) {
    this.logger = new Logger(`KafkaBatch:${subscription.groupId}`);
  }

  get closing(): boolean {
    return this.stopping;
  }

  /** Resolves once consuming (or, with joinInBackground, once connected and subscribed). */
  async start(): Promise<void> {
    const { groupId, topics, consumer: config, partitionsConsumedConcurrently } = this.subscription;
    const consumer = this.kafka.consumer({
      allowAutoTopicCreation: false,
      ...config,
      groupId,
      retry: {
        ...config?.retry,
        // A failed batch is retried with backoff, then the consumer restarts; not while stopping.
        restartOnFailure: async (error) =>
          !this.stopping && ((await config?.retry?.restartOnFailure?.(error)) ?? true),
      },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // A new consumer forgets pauses: keep waiting for what the handler waits for.
      if (this.pauses > 0) consumer.pause(topics.map((topic) => ({ topic })));
      this.subscription.onEvent?.({
        type: 'joined',
        assignment: payload.memberAssignment,
        durationMs: payload.duration,
      });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const reason = `consumer crashed: ${payload.error.message}`;
      this.logger.error(
        `${reason}${payload.restart ? '; kafkajs restarts it' : '; restarting it'}`,
      );
      if (this.stopping) return;
      this.subscription.onEvent?.({ type: 'crashed', reason, kafkajsRestarts: payload.restart });
      if (!payload.restart) this.scheduleRestart(consumer);
    });

    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.subscription.fromBeginning ?? true });
    const running = consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handle(payload, this),
    });
    if (!this.subscription.joinInBackground) return running;
    running.catch((error: unknown) =>
      this.logger.error(`the consumer did not start: ${describe(error)}`),
    );
  }

  /** Pauses the subscription's topics until the returned function is called (once). */
  pause(): () => void {
    this.pauses++;
    this.consumer?.pause(this.subscription.topics.map((topic) => ({ topic })));
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.pauses--;
      if (this.pauses === 0 && !this.stopping)
        this.consumer?.resume(this.subscription.topics.map((topic) => ({ topic })));
    };
  }

  /** Finishes the batches in flight (their commits included), leaves the group, disconnects. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.subscription.onEvent?.({ type: 'stopping' });
    await this.consumer?.disconnect();
    this.subscription.onEvent?.({ type: 'stopped' });
  }

  unwrap(): Consumer | undefined {
    return this.consumer;
  }

  private scheduleRestart(crashed: Consumer): void {
    this.restartTimer = setTimeout(() => void this.restart(crashed), RESTART_AFTER_CRASH_MS);
  }

  private async restart(crashed: Consumer): Promise<void> {
    if (this.stopping || this.consumer !== crashed) return;
    await crashed.disconnect().catch(() => undefined);
    try {
      await this.start();
    } catch (error) {
      this.logger.error(`could not restart the consumer: ${describe(error)}`);
      if (this.consumer) this.scheduleRestart(this.consumer);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

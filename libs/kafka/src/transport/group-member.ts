import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type {
  KafkaBatchSubscription,
  KafkaBatchSubscriptionControl,
} from './kafka-batch-subscription';
import { errorMessage } from '../error-message';
import { OffsetCommits } from './offset-commits';

/** How long after a crash kafkajs does not recover from a new consumer is started. */
export const RESTART_AFTER_CRASH_MS = 1000;
/** How long a leaving consumer waits for its batches in flight before `beforeLeave` runs. */
export const LEAVE_DRAIN_MS = 5000;

export type BatchHandler = (payload: EachBatchPayload, member: GroupMember) => Promise<void>;

/**
 * One kafkajs consumer of a subscription, replaced when kafkajs gives up on it (it does on errors
 * it deems fatal, such as no coordinator right after the broker came back: a consumer left dead
 * would never read again) and when the feature changes the topic list. Pauses asked by handlers
 * outlive the replacement.
 */
export class GroupMember implements KafkaBatchSubscriptionControl {
  private readonly logger: Logger;
  /** Commits of this group's partitions that finish together go out as one request. */
  readonly commits: OffsetCommits;
  private consumer: Consumer | undefined;
  private current: readonly string[];
  private restartTimer: NodeJS.Timeout | undefined;
  private pauses = 0;
  private started = false;
  private stopping = false;
  private leaving = false;
  private inFlight = 0;
  /** Start, restart, topic changes and stop run one at a time. */
  private lifecycle: Promise<void> = Promise.resolve();
  /** Deferred commits run one at a time, in call order. */
  private lastCommit: Promise<void> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    readonly subscription: KafkaBatchSubscription,
    private readonly handle: BatchHandler,
  ) {
    this.logger = new Logger(`KafkaBatch:${subscription.groupId}`);
    this.commits = new OffsetCommits(
      (seconds, partitions) => subscription.onEvent?.({ type: 'committed', seconds, partitions }),
      subscription.commitPerFetch ? () => this.inFlight : undefined,
    );
    this.current = [...subscription.topics];
  }

  /** True while the consumer is being left (stop or topic change): batches must end. */
  get closing(): boolean {
    return this.stopping || this.leaving;
  }

  get topics(): readonly string[] {
    return this.current;
  }

  /** Resolves once consuming (or, with joinInBackground, once connected and subscribed). */
  start(): Promise<void> {
    return this.serialized(() => {
      this.started = true;
      return this.startConsumer();
    });
  }

  changeTopics(topics: readonly string[]): Promise<void> {
    return this.serialized(async () => {
      if (this.stopping) return;
      // The leaving consumer pauses the topics it read, so the list changes once it has left.
      if (this.started) await this.leave();
      this.current = [...topics];
      if (!this.started) return;
      try {
        await this.startConsumer();
      } catch (error) {
        // Nothing is read now: the feature sees that and may ask for the topics again.
        this.current = [];
        throw error;
      }
    });
  }

  commit(offsets: { topic: string; partition: number; offset: string }[]): Promise<void> {
    const consumer = this.consumer;
    const next = this.lastCommit.then(() => {
      if (!consumer || consumer !== this.consumer)
        throw new Error('the consumer that read these offsets has left the group');
      return consumer.commitOffsets(offsets);
    });
    this.lastCommit = next.catch(() => undefined);
    return next;
  }

  /** Pauses the subscription's topics until the returned function is called (once). */
  pause(): () => void {
    this.pauses++;
    this.consumer?.pause(this.current.map((topic) => ({ topic })));
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.pauses--;
      if (this.pauses === 0 && !this.closing)
        this.consumer?.resume(this.current.map((topic) => ({ topic })));
    };
  }

  /** Finishes the batches in flight (their commits included), leaves the group, disconnects. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.subscription.onEvent?.({ type: 'stopping' });
    await this.serialized(() => this.leave());
    this.subscription.onEvent?.({ type: 'stopped' });
  }

  unwrap(): Consumer | undefined {
    return this.consumer;
  }

  private serialized(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private async startConsumer(): Promise<void> {
    const topics = this.current;
    // kafkajs cannot subscribe to nothing: the group is joined once there are topics.
    if (topics.length === 0 || this.stopping) return;
    const { groupId, consumer: config, partitionsConsumedConcurrently } = this.subscription;
    const consumer = this.kafka.consumer({
      allowAutoTopicCreation: false,
      ...config,
      groupId,
      retry: {
        ...config?.retry,
        // A failed batch is retried with backoff, then the consumer restarts; not while leaving.
        restartOnFailure: async (error) =>
          !this.closing && ((await config?.retry?.restartOnFailure?.(error)) ?? true),
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
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize > 0 || this.closing) return;
      const { topic, partition, lastOffset } = payload;
      this.subscription.onEvent?.({ type: 'passed-over', topic, partition, lastOffset });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const reason = `consumer crashed: ${payload.error.message}`;
      this.logger.error(
        `${reason}${payload.restart ? '; kafkajs restarts it' : '; restarting it'}`,
      );
      if (this.closing) return;
      this.subscription.onEvent?.({ type: 'crashed', reason, kafkajsRestarts: payload.restart });
      if (!payload.restart) this.scheduleRestart(consumer);
    });

    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: [...topics],
        fromBeginning: this.subscription.fromBeginning ?? true,
      });
      const running = consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.handleCounted(payload),
      });
      if (!this.subscription.joinInBackground) return await running;
      running.catch((error: unknown) =>
        this.logger.error(`the consumer did not start: ${errorMessage(error)}`),
      );
    } catch (error) {
      if (this.consumer === consumer) this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async handleCounted(payload: EachBatchPayload): Promise<void> {
    this.inFlight++;
    try {
      await this.handle(payload, this);
    } finally {
      this.inFlight--;
      this.commits.batchEnded();
    }
  }

  /** Lets the current consumer go: drains it for `beforeLeave`, then disconnects. */
  private async leave(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    this.leaving = true;
    try {
      const { beforeLeave } = this.subscription;
      if (beforeLeave) {
        try {
          consumer.pause(this.current.map((topic) => ({ topic })));
        } catch (error) {
          // kafkajs is between a crash and its restart: nothing is being fetched.
          this.logger.debug(`pause before leaving: ${errorMessage(error)}`);
        }
        const deadline = Date.now() + LEAVE_DRAIN_MS;
        while (this.inFlight > 0 && Date.now() < deadline) await sleep(20);
        await beforeLeave().catch((error: unknown) =>
          this.logger.warn(`before leaving the group: ${errorMessage(error)}`),
        );
      }
      await consumer
        .disconnect()
        .catch((error: unknown) => this.logger.warn(`disconnect: ${errorMessage(error)}`));
    } finally {
      this.consumer = undefined;
      this.leaving = false;
    }
  }

  /** `crashed` undefined: the last restart failed before a consumer was running. */
  private scheduleRestart(crashed: Consumer | undefined): void {
    this.restartTimer = setTimeout(
      () => void this.serialized(() => this.restart(crashed)),
      RESTART_AFTER_CRASH_MS,
    );
  }

  private async restart(crashed: Consumer | undefined): Promise<void> {
    // A topic change or stop has replaced the consumer meanwhile.
    if (this.stopping || this.consumer !== crashed) return;
    await crashed?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    try {
      await this.startConsumer();
    } catch (error) {
      this.logger.error(`could not restart the consumer: ${errorMessage(error)}`);
      this.scheduleRestart(undefined);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { KAFKA_CLIENT } from '@event-hub/kafka';
import type { CommandReply } from '../../command-acceptance/command-store';
import { CommandStore } from '../../command-acceptance/command-store';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { GatewayMetrics } from '../../metrics/gateway.metrics';
import { lastReplyPerCommand, readReply } from './reply-record';

/**
 * Records the processor's replies in the status store. Every gateway instance joins the same
 * consumer group, so each reply is written once, by whichever instance owns its partition, and is
 * visible to all through Postgres. One statement per batch; offsets are committed only after it.
 */
@Injectable()
export class CommandRepliesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CommandRepliesConsumer.name);
  private readonly consumer: Consumer;
  private readonly topic: string;
  private readonly groupId: string;
  private stopping = false;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    config: ConfigService<GatewayEnvironment, true>,
    private readonly store: CommandStore,
    private readonly metrics: GatewayMetrics,
  ) {
    this.topic = config.get('GATEWAY_REPLY_TOPIC');
    this.groupId = config.get('GATEWAY_REPLY_GROUP_ID');
    this.consumer = kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      // kafkajs heartbeats between fetches: short polls let a rebalance (another instance joining
      // or leaving) and a shutdown finish in about a second instead of the 5 s default long poll.
      maxWaitTimeInMs: 500,
      heartbeatInterval: 1000,
      // A gateway killed without leaving the group holds its partitions until its session expires.
      sessionTimeout: config.get('GATEWAY_REPLY_SESSION_TIMEOUT_MS'),
      // A failed batch (Postgres down) is retried with backoff, then the consumer restarts (not
      // while the gateway shuts down).
      retry: {
        initialRetryTime: 300,
        retries: 10,
        maxRetryTime: 10000,
        restartOnFailure: () => Promise.resolve(!this.stopping),
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.connect();
    // A new group starts from the beginning: recording a reply twice is harmless, missing one is not.
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[this.topic] ?? [];
      this.logger.log(
        `recording replies from ${this.topic}: joined ${this.groupId} in ${payload.duration} ms, ` +
          `owns partitions [${partitions.join(', ')}]`,
      );
    });
    // Not awaited: a join waits for every member the group still counts, and a gateway that was
    // killed counts until its session expires (GATEWAY_REPLY_SESSION_TIMEOUT_MS). Serving requests
    // does not need the group: replies wait in Kafka meanwhile and are recorded once it is joined.
    this.consumer
      .run({
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 3,
        eachBatch: (payload) => this.recordBatch(payload),
      })
      .catch((error: unknown) =>
        this.logger.error(
          `the reply consumer did not start: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }

  private async recordBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const receivedAt = new Date();
    const replies: CommandReply[] = [];
    for (const message of batch.messages) {
      const read = readReply(message.value, message.headers, receivedAt);
      if ('reply' in read) {
        replies.push(read.reply);
      } else {
        this.metrics.repliesSkipped.inc();
        this.logger.warn(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            reason: read.skipped,
          },
          'skipped a record that is not a readable reply',
        );
      }
    }
    const latest = lastReplyPerCommand(replies);
    // Throws when Postgres is down: nothing is resolved, so the batch is delivered again.
    await this.store.recordReplies(latest);
    for (const reply of latest) this.metrics.repliesRecorded.inc({ status: reply.status });
    const last = batch.messages[batch.messages.length - 1];
    if (last) resolveOffset(last.offset);
    await heartbeat();
  }
}

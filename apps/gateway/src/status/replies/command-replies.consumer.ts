import { Controller, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { context as traceContext } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import {
  KAFKA_BATCH,
  KafkaBatchContext,
  KafkaBatchServer,
  startRecordSpan,
} from '@event-hub/kafka';
import { failSpan } from '@event-hub/observability';
import type { CommandReply } from '../../command-acceptance/command-store';
import { CommandStore } from '../../command-acceptance/command-store';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { GatewayMetrics } from '../../metrics/gateway.metrics';
import { lastReplyPerCommand, readReply } from './reply-record';

/** The batches of the reply topic (GATEWAY_REPLY_TOPIC) in the gateway's reply group. */
export const REPLY_BATCHES = 'gateway.replies';

/** Reply partitions handled at once: all of a fetch's, up to the platform topics' 6. */
export const REPLY_PARTITIONS_AT_ONCE = 6;

/**
 * Records the processor's replies in the status store. Every gateway instance joins the same
 * consumer group, so each reply is written once, by whichever instance owns its partition, and is
 * visible to all through Postgres. One statement per batch, shared with the batches of other
 * partitions recorded at the same time (CommandStore.recordReplies); the KafkaBatchServer commits
 * the batch only after it.
 */
@Controller()
export class CommandRepliesConsumer implements OnModuleInit {
  private readonly logger = new Logger(CommandRepliesConsumer.name);

  constructor(
    private readonly server: KafkaBatchServer,
    private readonly config: ConfigService<GatewayEnvironment, true>,
    private readonly store: CommandStore,
    private readonly metrics: GatewayMetrics,
  ) {}

  onModuleInit(): void {
    const topic = this.config.get('GATEWAY_REPLY_TOPIC');
    const groupId = this.config.get('GATEWAY_REPLY_GROUP_ID');
    this.server.subscribe({
      pattern: REPLY_BATCHES,
      groupId,
      topics: [topic],
      // A new group starts from the beginning: recording a reply twice is harmless, missing one is not.
      fromBeginning: true,
      // Every partition of a fetch at once (the platform's topics have 6; deploy/k8s): their
      // replies share one statement, and with commitPerFetch one commit. With 3, a fetch of 6
      // partitions took two of each (1.9 OffsetCommits per fetch in bench:commands).
      partitionsConsumedConcurrently: REPLY_PARTITIONS_AT_ONCE,
      // The partitions handled together commit in one request, not one each (their statements
      // end at different times): a commit is a write to the broker's offsets log.
      commitPerFetch: true,
      // Not awaited: a join waits for every member the group still counts, and a gateway that was
      // killed counts until its session expires (GATEWAY_REPLY_SESSION_TIMEOUT_MS). Serving
      // requests does not need the group: replies wait in Kafka meanwhile and are recorded once it
      // is joined.
      joinInBackground: true,
      consumer: {
        // kafkajs heartbeats between fetches: short polls let a rebalance (another instance
        // joining or leaving) and a shutdown finish in about a second instead of the 5 s default.
        // Not shorter: with minBytes 1 a reply ends the wait at once, so the wait only sets how
        // many empty fetches an idle gateway makes (1 a second; 2 with 500 ms).
        maxWaitTimeInMs: 1000,
        heartbeatInterval: 1000,
        // A gateway killed without leaving the group holds its partitions until its session expires.
        sessionTimeout: this.config.get('GATEWAY_REPLY_SESSION_TIMEOUT_MS'),
        // A failed batch (Postgres down) is retried with backoff, then the consumer restarts (the
        // transport does not restart it while the gateway shuts down).
        retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 10000 },
      },
      onEvent: (event) => {
        if (event.type !== 'joined') return;
        const partitions = event.assignment[topic] ?? [];
        this.logger.log(
          `recording replies from ${topic}: joined ${groupId} in ${event.durationMs} ms, ` +
            `owns partitions [${partitions.join(', ')}]`,
        );
      },
    });
  }

  @EventPattern(REPLY_BATCHES, KAFKA_BATCH)
  async recordBatch(
    @Payload() records: KafkaMessage[],
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    const receivedAt = new Date();
    const replies: CommandReply[] = [];
    // Each reply's recording ends the trace its command started at the gateway.
    const spans = records.map((message) =>
      startRecordSpan(context.topic, message, context.partition),
    );
    for (const [index, message] of records.entries()) {
      const read = readReply(message.value, message.headers, receivedAt);
      if ('reply' in read) {
        replies.push(read.reply);
      } else {
        this.metrics.repliesSkipped.inc();
        traceContext.with(spans[index]?.context ?? traceContext.active(), () =>
          this.logger.warn(
            {
              topic: context.topic,
              partition: context.partition,
              offset: message.offset,
              reason: read.skipped,
            },
            'skipped a record that is not a readable reply',
          ),
        );
      }
    }
    const latest = lastReplyPerCommand(replies);
    try {
      // Throws when Postgres is down: nothing is resolved, so the batch is delivered again.
      await this.store.recordReplies(latest);
    } catch (error) {
      for (const { span } of spans) failSpan(span, error);
      throw error;
    } finally {
      for (const { span } of spans) span.end();
    }
    for (const reply of latest) this.metrics.repliesRecorded.inc({ status: reply.status });
    const last = records[records.length - 1];
    // Committed by the transport right after: no heartbeat here, whose rebalance error would fail
    // (and redeliver) a batch already recorded.
    if (last) context.resolveOffset(last.offset);
  }
}

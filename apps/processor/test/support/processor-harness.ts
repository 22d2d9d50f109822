import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Consumer, IHeaders, Producer } from 'kafkajs';
import {
  EVENT_HEADERS,
  createEnvelope,
  type CommandReplyData,
  type EventEnvelope,
  type UserCommandDataByType,
  type UserCommandType,
} from '@event-hub/contracts';
import {
  ACKS_ALL,
  IDEMPOTENT_PRODUCER,
  decodeHeaders,
  encodeHeaders,
  startKafkaBatchServer,
} from '@event-hub/kafka';
import { createHttpService } from '@event-hub/service-runtime';
import { deleteTestTopics, testKafka, uniqueName, waitFor } from '@event-hub/testing';

import { ProcessorModule } from '../../src/processor.module';

export type Reply = EventEnvelope<CommandReplyData>;

export interface DeadLetterSeen {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface ProcessorTopics {
  commands: string;
  replies: string;
  deadLetters: string;
  group: string;
}

export function uniqueProcessorTopics(prefix: string): ProcessorTopics {
  return {
    commands: uniqueName(`it.${prefix}.commands`),
    replies: uniqueName(`it.${prefix}.replies`),
    deadLetters: uniqueName(`it.${prefix}.dlq`),
    group: uniqueName(`it.${prefix}.processor`),
  };
}

/**
 * Boots ProcessorModule in-process on its own database, topics and consumer group (the processor
 * provisions the topics itself), with `env` applied over process.env while it reads its config.
 */
export async function startProcessor(
  databaseUrl: string,
  topics: ProcessorTopics,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    PROCESSOR_COMMAND_TOPIC: topics.commands,
    PROCESSOR_REPLY_TOPIC: topics.replies,
    PROCESSOR_DLQ_TOPIC: topics.deadLetters,
    PROCESSOR_GROUP_ID: topics.group,
    ...env,
  });
  const app = await createHttpService(ProcessorModule.forRoot());
  await app.init();
  await startKafkaBatchServer(app);
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Sends commands the way the gateway does: an envelope keyed by user id, with headers. */
export class CommandSender {
  private readonly producer: Producer =
    testKafka('processor-it-sender').producer(IDEMPOTENT_PRODUCER);

  constructor(
    private readonly topic: string,
    /** The tenant the commands act in, as the gateway takes it from the caller's token. */
    readonly tenantId = 'it-tenant',
  ) {}

  async connect(): Promise<this> {
    await this.producer.connect();
    return this;
  }

  envelope<T extends UserCommandType>(
    type: T,
    data: UserCommandDataByType[T],
    tenantId = this.tenantId,
  ): EventEnvelope<UserCommandDataByType[T]> {
    return createEnvelope({
      eventType: type,
      source: 'gateway',
      data,
      correlationId: randomUUID(),
      tenantId,
    });
  }

  async send(...envelopes: EventEnvelope<{ userId: string }>[]): Promise<void> {
    await this.sendKeyed(undefined, ...envelopes);
  }

  /** Like {@link send}, all under `key` (one partition, in order) unless it is undefined. */
  async sendKeyed(
    key: string | undefined,
    ...envelopes: EventEnvelope<{ userId: string }>[]
  ): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      messages: envelopes.map((e) => ({
        key: key ?? e.data.userId,
        value: JSON.stringify(e),
        headers: encodeHeaders({
          [EVENT_HEADERS.correlationId]: e.metadata.correlationId,
          [EVENT_HEADERS.eventType]: e.eventType,
          [EVENT_HEADERS.eventId]: e.eventId,
        }),
      })),
    });
  }

  async sendRaw(key: string, value: string, headers: Record<string, string> = {}): Promise<void> {
    await this.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      messages: [{ key, value, headers: encodeHeaders(headers) }],
    });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Reads the reply and dead-letter topics from the beginning and keeps everything it sees. */
export class TopicWatcher {
  readonly replies: Reply[] = [];
  readonly replyHeaders: Record<string, string>[] = [];
  readonly deadLetters: DeadLetterSeen[] = [];
  private readonly consumer: Consumer = testKafka('processor-it-watcher').consumer({
    groupId: uniqueName('it.processor.watcher'),
  });

  constructor(private readonly topics: ProcessorTopics) {}

  async start(): Promise<this> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [this.topics.replies, this.topics.deadLetters],
      fromBeginning: true,
    });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === this.topics.replies) {
          this.replies.push(JSON.parse(message.value?.toString() ?? 'null') as Reply);
          this.replyHeaders.push({
            key: message.key?.toString() ?? '',
            ...decodeHeaders(message.headers),
          });
        } else {
          this.deadLetters.push({
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: decodeHeaders(message.headers as IHeaders),
          });
        }
      },
    });
    return this;
  }

  repliesTo(correlationId: string): Reply[] {
    return this.replies.filter((r) => r.metadata.correlationId === correlationId);
  }

  reply(correlationId: string, what = `the reply to ${correlationId}`): Promise<Reply> {
    return waitFor(() => this.repliesTo(correlationId)[0], { what, timeoutMs: 60000 });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export async function deleteProcessorTopics(topics: ProcessorTopics): Promise<void> {
  await deleteTestTopics([topics.commands, topics.replies, topics.deadLetters]);
}

import { join } from 'node:path';
import { generateSigningKeyPem, SCOPES } from '@event-hub/auth';
import { PIX_TOPICS, TOPICS } from '@event-hub/contracts';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess, REPO_ROOT } from '../support/app-process';
import { HttpClient } from '../proxy/http-client';
import { callerFor, createClient, createTenant, type BenchCaller } from '../proxy/platform';

/** Every topic of one run: the command pipeline's, usage, and the PIX flow's under the run's prefix. */
export function benchTopics(runId: string) {
  const prefix = `bench-pix.${runId}.`;
  return {
    prefix,
    commands: `${prefix}user_events`,
    replies: `${prefix}response_events`,
    dlq: `${prefix}user_events.dlq`,
    usage: `${prefix}usage_events`,
    usageDlq: `${prefix}usage_events.dlq`,
    pix: PIX_TOPICS.map((name) => `${prefix}${name}`),
    audit: `${prefix}${TOPICS.pixAuditLog}`,
    balances: `${prefix}${TOPICS.accountBalances}`,
  };
}

export type BenchTopics = ReturnType<typeof benchTopics>;

export interface StackPorts {
  /** 0: a free port the system picks. */
  gateway: number;
  processor: number;
}

/** Flags for the gateway's node (BENCH_PIX_GATEWAY_NODE_ARGS), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const GATEWAY_NODE_ARGS = (process.env['BENCH_PIX_GATEWAY_NODE_ARGS'] ?? '')
  .split(' ')
  .filter((a) => a.length > 0);

/**
 * The gateway and the processor of one bench run (built apps, `dist/`), on a database, topics,
 * consumer groups and transactional ids of the run's own, with the PIX antifraud limits raised so
 * that only the platform's speed decides what settles. RabbitMQ's `pix` exchange is shared: the
 * notifications of the run land there like any others (routing keys `pix.payment.*`).
 */
export class BenchStack {
  private constructor(
    readonly runId: string,
    readonly topics: BenchTopics,
    readonly database: TestDatabase,
    readonly processor: AppProcess,
    readonly gateway: AppProcess,
    /** A tenant's client holding events:produce. */
    readonly caller: BenchCaller,
    /** The platform admin (deposits). */
    readonly operator: BenchCaller,
  ) {}

  static async start(runId: string, ports: StackPorts, partitions: number): Promise<BenchStack> {
    const topics = benchTopics(runId);
    const database = await createTestDatabase('bench_pix');
    const started: AppProcess[] = [];
    try {
      await createTopicsRetrying(
        [topics.commands, topics.replies, topics.usage, ...topics.pix],
        partitions,
      );
      await createTopicsRetrying([topics.dlq, topics.usageDlq], 1);
      const common = {
        DATABASE_URL: database.url,
        KAFKA_CLIENT_ID: `bench-pix-${runId}`,
        LOG_LEVEL: 'info',
        PIX_TOPIC_PREFIX: topics.prefix,
      };
      const processor = await AppProcess.start(
        'processor',
        {
          entry: 'dist',
          runId,
          nodeArgs: [],
          ...(ports.processor ? { port: ports.processor } : {}),
          env: {
            ...common,
            PROCESSOR_GROUP_ID: `bench-pix-${runId}`,
            PROCESSOR_COMMAND_TOPIC: topics.commands,
            PROCESSOR_REPLY_TOPIC: topics.replies,
            PROCESSOR_DLQ_TOPIC: topics.dlq,
            PROCESSOR_USAGE_TOPIC: topics.usage,
            PROCESSOR_USAGE_DLQ_TOPIC: topics.usageDlq,
            PIX_LIMIT_PER_TRANSACTION: '1000000.00',
            PIX_LIMIT_NIGHT_PER_TRANSACTION: '1000000.00',
            PIX_LIMIT_DAILY: '1000000000.00',
            PIX_VELOCITY_COUNT: '10000',
          },
        },
        180000,
      );
      started.push(processor);
      const gateway = await AppProcess.start(
        'gateway',
        {
          entry: 'dist',
          runId,
          nodeArgs: GATEWAY_NODE_ARGS,
          ...(ports.gateway ? { port: ports.gateway } : {}),
          env: {
            ...common,
            AUTH_JWT_PRIVATE_KEY: generateSigningKeyPem(),
            AUTH_JWT_PRIVATE_KEY_FILE: '',
            GATEWAY_COMMAND_TOPIC: topics.commands,
            GATEWAY_REPLY_TOPIC: topics.replies,
            GATEWAY_REPLY_GROUP_ID: `bench-pix-${runId}.replies`,
            GATEWAY_USAGE_TOPIC: topics.usage,
            GATEWAY_TRANSACTIONAL_ID_PREFIX: `bench-pix-${runId}`,
            BALANCES_TOPIC: topics.balances,
            BALANCES_SNAPSHOT_PATH: join(REPO_ROOT, 'tmp/bench-pix', `${runId}.sqlite`),
            PLATFORM_PROCESSOR_URL: processor.baseUrl,
          },
        },
        180000,
      );
      started.push(gateway);
      const http = new HttpClient(gateway.baseUrl, 2);
      try {
        const operator = await callerFor(http, await bootstrapAdmin(database.url));
        const tenantId = `bench-pix-${runId}`;
        await createTenant(http, operator, tenantId, {
          produceRecordsPerSecond: 10_000_000,
          produceBytesPerSecond: 10 * 1024 * 1024 * 1024,
        });
        const caller = await createClient(http, operator, tenantId, 'bench-pix', [
          SCOPES.eventsProduce,
        ]);
        return new BenchStack(runId, topics, database, processor, gateway, caller, operator);
      } finally {
        http.close();
      }
    } catch (error) {
      await Promise.all(started.map((app) => app.stop()));
      await cleanUp(topics, database);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.gateway.stop(), this.processor.stop()]);
    await cleanUp(this.topics, this.database);
  }
}

/**
 * createTestTopics, again after a failure: kafkajs refreshes the metadata of every topic before
 * creating, and on the shared broker another run deleting its topics meanwhile can make that
 * answer "This server does not host this topic-partition". Creating again is harmless (topics
 * that exist are left alone, then their leaders awaited).
 */
async function createTopicsRetrying(names: string[], partitions: number): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createTestTopics(names, partitions);
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function cleanUp(topics: BenchTopics, database: TestDatabase): Promise<void> {
  await deleteTestTopics([
    topics.commands,
    topics.replies,
    topics.dlq,
    topics.usage,
    topics.usageDlq,
    ...topics.pix,
  ]).catch(() => undefined);
  await database.drop().catch(() => undefined);
}

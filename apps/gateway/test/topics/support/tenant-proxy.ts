import { TenantsService, type Scope, type TenantLimits } from '@event-hub/auth';
import { createTopicsAndWaitForLeaders } from '@event-hub/kafka';
import {
  createTestDatabase,
  deleteTestTopics,
  uniqueName,
  uniqueTenantId,
  withAdmin,
  type CommittedRecord,
  type TestDatabase,
} from '@event-hub/testing';
import {
  deleteGatewayTopics,
  TestGateway,
  type GatewayTopics,
  type TestCaller,
} from '../../support/gateway-harness';

/** A gateway on its own database, command topics, usage topic and transactional ids. */
export class TenantProxyFixture {
  private readonly tenantTopics = new Set<string>();

  private constructor(
    readonly gateway: TestGateway,
    readonly db: TestDatabase,
    readonly topics: GatewayTopics,
    readonly usageTopic: string,
  ) {}

  static async start(
    prefix: string,
    extraEnv: Record<string, string> = {},
  ): Promise<TenantProxyFixture> {
    const usageTopic = uniqueName(`it.${prefix}.usage`);
    const topics: GatewayTopics = {
      commands: uniqueName(`it.${prefix}.commands`),
      replies: uniqueName(`it.${prefix}.replies`),
      group: uniqueName(`it.${prefix}.gateway-replies`),
    };
    // createTopicsAndWaitForLeaders, not kafkajs's waitForLeaders: a KRaft broker may first answer
    // "does not host this topic-partition" for a topic it has just created.
    const [db] = await Promise.all([
      createTestDatabase(prefix.replace(/[^a-z0-9]/g, '_')),
      withAdmin((admin) =>
        createTopicsAndWaitForLeaders(admin, [
          { topic: topics.commands, numPartitions: 3, replicationFactor: 1 },
          { topic: topics.replies, numPartitions: 3, replicationFactor: 1 },
          { topic: usageTopic, numPartitions: 2, replicationFactor: 1 },
        ]),
      ),
    ]);
    const gateway = await TestGateway.start(
      TestGateway.env(db.url, topics, {
        GATEWAY_USAGE_TOPIC: usageTopic,
        GATEWAY_TRANSACTIONAL_ID_PREFIX: uniqueName(`it.${prefix}.tx`),
        ...extraEnv,
      }),
    );
    return new TenantProxyFixture(gateway, db, topics, usageTopic);
  }

  /** A client of a new tenant (created with `limits` when given). */
  async tenant(scopes: Scope[], limits?: Partial<TenantLimits>): Promise<TestCaller> {
    const tenantId = uniqueTenantId();
    if (limits) {
      await this.gateway.app.get(TenantsService).create({ id: tenantId, name: tenantId, limits });
    }
    return this.gateway.bearer(tenantId, scopes);
  }

  /** Creates a topic through the API and remembers its Kafka topic for clean-up. */
  async createTopic(caller: TestCaller, body: Record<string, unknown>): Promise<string> {
    const response = await this.gateway.post('/topics', body, caller.headers);
    if (response.statusCode !== 201) throw new Error(`topic not created: ${response.body}`);
    const kafkaTopic = String(response.json<{ kafkaTopic: string }>().kafkaTopic);
    this.tenantTopics.add(kafkaTopic);
    return kafkaTopic;
  }

  track(kafkaTopic: string): void {
    this.tenantTopics.add(kafkaTopic);
  }

  async close(): Promise<void> {
    await this.gateway.close();
    await Promise.all([
      deleteGatewayTopics(this.topics),
      deleteTestTopics([this.usageTopic, ...this.tenantTopics]),
      this.db.drop(),
    ]);
  }
}

export interface UsageEventRecord {
  eventId: string;
  tenantId: string;
  data: {
    tenant: string;
    topic: string;
    clientId: string;
    action: string;
    messages: number;
    bytes: number;
    eventTime: string;
  };
}

export const usageOf = (record: CommittedRecord): UsageEventRecord =>
  JSON.parse(record.value) as UsageEventRecord;

export async function kafkaTopicExists(name: string): Promise<boolean> {
  return withAdmin(async (admin) => (await admin.listTopics()).includes(name));
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  COMMAND_REPLIES,
  createEnvelope,
  EVENT_HEADERS,
  type CommandReplyData,
} from '@event-hub/contracts';
import {
  ApiClientsService,
  generateSigningKeyPem,
  SCOPES,
  TenantsService,
  type Scope,
} from '@event-hub/auth';
import { encodeHeaders, startKafkaBatchServer } from '@event-hub/kafka';
import { createHttpService } from '@event-hub/service-runtime';
import {
  createTestTopics,
  deleteTestTopics,
  headersOf,
  testKafka,
  uniqueName,
  uniqueTenantId,
  withAdmin,
} from '@event-hub/testing';
import { Client } from 'pg';
import { configureGateway } from '../../src/configure-gateway';
import { GatewayModule } from '../../src/gateway.module';

/** Topics and a reply group of the suite's own, so no other test or service sees its records. */
export interface GatewayTopics {
  commands: string;
  replies: string;
  group: string;
}

export async function createGatewayTopics(prefix: string): Promise<GatewayTopics> {
  const topics = {
    commands: uniqueName(`it.${prefix}.commands`),
    replies: uniqueName(`it.${prefix}.replies`),
    group: uniqueName(`it.${prefix}.gateway-replies`),
  };
  await createTestTopics([topics.commands, topics.replies], 3);
  return topics;
}

export const deleteGatewayTopics = (topics: GatewayTopics): Promise<void> =>
  deleteTestTopics([topics.commands, topics.replies]);

/** A client of a tenant, with a token and the headers that carry it. */
export interface TestCaller {
  tenantId: string;
  clientId: string;
  token: string;
  headers: { authorization: string };
}

/** One signing key per test process: generating RSA keys is slow, and no test needs two. */
let signingKey: string | undefined;
const testSigningKey = (): string => (signingKey ??= generateSigningKeyPem());

/**
 * The tenant `post` and `get` act as when no token is given: one per test process, so several
 * gateway instances of a suite see the same tenant's commands and users.
 */
const DEFAULT_TENANT = uniqueTenantId('it');

/** What the command and query suites act as when they do not name a caller. */
const DEFAULT_SCOPES: Scope[] = [SCOPES.eventsProduce, SCOPES.eventsConsume];

/**
 * An in-process gateway on its own database and topics. Environment overrides are applied before
 * the module is built (that is when the configuration is read) and put back afterwards.
 * `post` and `get` act as a default tenant's client unless the headers carry a token.
 */
export class TestGateway {
  /** Per database: the instances of one suite act as the same client, as one client would. */
  private static readonly defaultCallers = new Map<string, Promise<TestCaller>>();

  private constructor(
    readonly app: NestFastifyApplication,
    private readonly databaseUrl: string,
  ) {}

  static async start(env: Record<string, string>): Promise<TestGateway> {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const app = await createHttpService(GatewayModule.forRoot(), { configure: configureGateway });
      await app.init();
      await startKafkaBatchServer(app);
      await app.getHttpAdapter().getInstance().ready();
      return new TestGateway(app, env['DATABASE_URL'] ?? '');
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  static env(
    databaseUrl: string,
    topics: GatewayTopics,
    extra: Record<string, string> = {},
  ): Record<string, string> {
    return {
      AUTH_JWT_PRIVATE_KEY: testSigningKey(),
      // .env points at the file `npm start` generates; tests sign with a key of their own.
      AUTH_JWT_PRIVATE_KEY_FILE: '',
      DATABASE_URL: databaseUrl,
      GATEWAY_COMMAND_TOPIC: topics.commands,
      GATEWAY_REPLY_TOPIC: topics.replies,
      GATEWAY_REPLY_GROUP_ID: topics.group,
      ...extra,
    };
  }

  /**
   * A new client of `tenantId` (the tenant is created if missing) holding `scopes`, with a token
   * from POST /oauth/token.
   */
  async bearer(tenantId: string, scopes: Scope[], clientName = 'test-client'): Promise<TestCaller> {
    const tenants = this.app.get(TenantsService);
    if (!(await tenants.find(tenantId))) {
      try {
        await tenants.create({ id: tenantId, name: `Tenant ${tenantId}` });
      } catch (error) {
        // Two callers of one suite may create the same tenant at once.
        if (!(await tenants.find(tenantId))) throw error;
      }
    }
    const issued = await this.app.get(ApiClientsService).create(tenantId, {
      name: clientName,
      scopes,
    });
    const response = await this.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: issued.client.clientId,
        client_secret: issued.clientSecret,
      },
    });
    if (response.statusCode !== 200) throw new Error(`token refused: ${response.body}`);
    const token = String(response.json<{ access_token: string }>().access_token);
    return {
      tenantId,
      clientId: issued.client.clientId,
      token,
      headers: { authorization: `Bearer ${token}` },
    };
  }

  /** The client `post` and `get` act as when no token is given. */
  caller(): Promise<TestCaller> {
    let caller = TestGateway.defaultCallers.get(this.databaseUrl);
    if (!caller) {
      caller = this.bearer(DEFAULT_TENANT, DEFAULT_SCOPES);
      TestGateway.defaultCallers.set(this.databaseUrl, caller);
    }
    return caller;
  }

  inject(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.app.inject(options);
  }

  async post(
    url: string,
    payload: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'POST',
      url,
      payload: payload as InjectOptions['payload'],
      headers: await this.withToken(headers),
    });
  }

  async put(
    url: string,
    payload: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'PUT',
      url,
      payload: payload as InjectOptions['payload'],
      headers: await this.withToken(headers),
    });
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'GET', url, headers: await this.withToken(headers) });
  }

  private async withToken(headers: Record<string, string>): Promise<Record<string, string>> {
    if ('authorization' in headers) return headers;
    return { ...(await this.caller()).headers, ...headers };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export interface ProducedRecord {
  partition: number;
  key: string | undefined;
  value: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Committed records on a topic so far: what the processor would read, nothing more. */
export async function countRecords(topic: string): Promise<number> {
  return (await readRecords(topic)).length;
}

/**
 * Every committed record currently on the topic, read by a throwaway read_committed consumer
 * group. Commands are written in transactions, so offsets also hold commit and abort markers and
 * aborted records: the read ends once every partition has been read up to its last stable offset.
 */
export async function readRecords(topic: string): Promise<ProducedRecord[]> {
  const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  const unread = new Map(
    offsets.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]),
  );
  const consumer = testKafka().consumer({ groupId: uniqueName('it.reader') });
  const records: ProducedRecord[] = [];
  let done!: () => void;
  const complete = new Promise<void>((resolve) => (done = resolve));
  const readUpTo = (partition: number, lastOffset: string): void => {
    const end = unread.get(partition);
    if (end !== undefined && Number(lastOffset) >= end - 1) unread.delete(partition);
    if (unread.size === 0) done();
  };
  if (unread.size === 0) done();
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    readUpTo(payload.partition, payload.lastOffset),
  );
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          key: message.key?.toString(),
          value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
          headers: headersOf(message.headers),
        });
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      complete,
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `read ${records.length} records; partitions left: ${[...unread.keys()].join(',')}`,
              ),
            ),
          30000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** Publishes a reply as the processor would: envelope on the reply topic, keyed by correlation id. */
export async function publishReply(
  topic: string,
  correlationId: string,
  data: CommandReplyData,
  tenantId?: string,
): Promise<void> {
  const producer = testKafka().producer();
  await producer.connect();
  try {
    const envelope = createEnvelope({
      eventType: data.status === 'COMPLETED' ? COMMAND_REPLIES.completed : COMMAND_REPLIES.failed,
      source: 'processor',
      data,
      correlationId,
      ...(tenantId === undefined ? {} : { tenantId }),
    });
    await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: correlationId,
          value: JSON.stringify(envelope),
          headers: encodeHeaders({
            [EVENT_HEADERS.correlationId]: correlationId,
            [EVENT_HEADERS.eventType]: envelope.eventType,
          }),
        },
      ],
    });
  } finally {
    await producer.disconnect();
  }
}

/** Runs one SQL statement on the test database. */
export async function sql<T extends Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export const json = <T = Record<string, unknown>>(response: LightMyRequestResponse): T =>
  response.json<T>();

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeyPem, SCOPES } from '@event-hub/auth';
import { PIX_TOPICS, TOPICS } from '@event-hub/contracts';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  withAdmin,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess, freePort, REPO_ROOT, type AppName } from './app-process';
import { HttpClient } from '../proxy/http-client';
import { callerFor, createClient, createTenant, type BenchCaller } from '../proxy/platform';

/** Every topic of one run: the command pipeline's, usage, and the PIX flow's under the run's prefix. */
export function platformStackTopics(name: string, runId: string) {
  const prefix = `${name}.${runId}.`;
  return {
    prefix,
    commands: `${prefix}${TOPICS.userEvents}`,
    replies: `${prefix}${TOPICS.responseEvents}`,
    dlq: `${prefix}${TOPICS.userEventsDlq}`,
    usage: `${prefix}${TOPICS.usageEvents}`,
    usageDlq: `${prefix}${TOPICS.usageEvents}.dlq`,
    pix: PIX_TOPICS.map((topic) => `${prefix}${topic}`),
    audit: `${prefix}${TOPICS.pixAuditLog}`,
    balances: `${prefix}${TOPICS.accountBalances}`,
  };
}

export type PlatformStackTopics = ReturnType<typeof platformStackTopics>;

export interface PlatformStackOptions {
  /** Names the run's database, topics, groups, transactional ids and files: `bench-commands`. */
  name: string;
  /** The monitor too (it reads only the run's topics and writes `<name>-<run>-*` indices). */
  withMonitor: boolean;
  /** Partitions of the command, reply, usage and PIX topics. */
  partitions: number;
  /** 0 or absent: a free port the system picks. */
  ports: Partial<Record<AppName, number>>;
  /** Extra flags for an app's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
  nodeArgs: Partial<Record<AppName, string[]>>;
  /** Settings of the processor beyond the run's own names (e.g. raised antifraud limits). */
  processorEnv?: Record<string, string>;
}

export interface PlatformStackApps {
  gateway: AppProcess;
  processor: AppProcess;
  monitor?: AppProcess;
}

/**
 * The platform's apps of one bench run (built apps, `dist/`) as children of the bench, on a
 * database, topics, consumer groups, transactional ids and search indices of the run's own, so a
 * run neither needs `npm start` nor disturbs anyone else's stack on the shared dev services.
 * Everything is deleted by `stop()`. Through the gateway it bootstraps the platform admin and a
 * tenant client holding events:produce, as a user would.
 */
export class PlatformStack {
  private constructor(
    private readonly runId: string,
    private readonly name: string,
    readonly topics: PlatformStackTopics,
    private readonly database: TestDatabase,
    readonly apps: PlatformStackApps,
    /** A tenant's client holding events:produce. */
    readonly caller: BenchCaller,
    /** The platform admin. */
    readonly operator: BenchCaller,
  ) {}

  static async start(runId: string, options: PlatformStackOptions): Promise<PlatformStack> {
    const { name } = options;
    const topics = platformStackTopics(name, runId);
    const files = runFiles(name, runId);
    mkdirSync(files, { recursive: true });
    const database = await createTestDatabase(name.replaceAll('-', '_'));
    const common = {
      DATABASE_URL: database.url,
      KAFKA_CLIENT_ID: `${name}-${runId}`,
      LOG_LEVEL: 'info',
      PIX_TOPIC_PREFIX: topics.prefix,
    };
    const started: AppProcess[] = [];
    const start = async (
      app: AppName,
      env: Record<string, string>,
      port = options.ports[app],
    ): Promise<AppProcess> => {
      const process = await AppProcess.start(
        app,
        {
          entry: 'dist',
          runId,
          nodeArgs: options.nodeArgs[app] ?? [],
          ...(port ? { port } : {}),
          env: { ...common, ...env },
        },
        180000,
      );
      started.push(process);
      return process;
    };
    try {
      await createTopicsRetrying(
        [topics.commands, topics.replies, topics.usage, ...topics.pix],
        options.partitions,
      );
      await createTopicsRetrying([topics.dlq, topics.usageDlq], 1);
      const processor = await start('processor', {
        // Not `<name>-<run>`: benches watch replies with a group of that name
        // (support/command-load.ts).
        PROCESSOR_GROUP_ID: `${name}-${runId}.processor`,
        PROCESSOR_COMMAND_TOPIC: topics.commands,
        PROCESSOR_REPLY_TOPIC: topics.replies,
        PROCESSOR_DLQ_TOPIC: topics.dlq,
        PROCESSOR_USAGE_TOPIC: topics.usage,
        PROCESSOR_USAGE_DLQ_TOPIC: topics.usageDlq,
        ...options.processorEnv,
      });
      // The gateway links to the monitor, which starts after it (it needs the gateway's keys).
      const monitorPort = options.withMonitor ? options.ports.monitor || (await freePort()) : 0;
      const gateway = await start('gateway', {
        AUTH_JWT_PRIVATE_KEY: generateSigningKeyPem(),
        AUTH_JWT_PRIVATE_KEY_FILE: '',
        GATEWAY_COMMAND_TOPIC: topics.commands,
        GATEWAY_REPLY_TOPIC: topics.replies,
        GATEWAY_REPLY_GROUP_ID: `${name}-${runId}.replies`,
        GATEWAY_USAGE_TOPIC: topics.usage,
        GATEWAY_TRANSACTIONAL_ID_PREFIX: `${name}-${runId}`,
        BALANCES_TOPIC: topics.balances,
        BALANCES_SNAPSHOT_PATH: join(files, 'balances.sqlite'),
        PLATFORM_PROCESSOR_URL: processor.baseUrl,
        ...(options.withMonitor ? { PLATFORM_MONITOR_URL: `http://127.0.0.1:${monitorPort}` } : {}),
      });
      const apps: PlatformStackApps = { gateway, processor };
      if (options.withMonitor) {
        apps.monitor = await start(
          'monitor',
          {
            AUTH_JWKS_URL: `${gateway.baseUrl}/.well-known/jwks.json`,
            MONITOR_DOCS_TOKEN_URL: `${gateway.baseUrl}/oauth/token`,
            MONITOR_GROUP_ID: `${name}-${runId}.monitor`,
            MONITOR_TOPIC_PATTERN: `^${topics.prefix.replaceAll('.', '\\.')}`,
            MONITOR_INDEX_PREFIX: `${name}-${runId}`,
            MONITOR_FALLBACK_DIR: join(files, 'monitor-fallback'),
          },
          monitorPort,
        );
      }
      const http = new HttpClient(gateway.baseUrl, 2);
      try {
        const operator = await callerFor(http, await bootstrapAdmin(database.url));
        const tenantId = `${name}-${runId}`;
        await createTenant(http, operator, tenantId, {
          produceRecordsPerSecond: 10_000_000,
          produceBytesPerSecond: 10 * 1024 * 1024 * 1024,
        });
        const caller = await createClient(http, operator, tenantId, name, [SCOPES.eventsProduce]);
        return new PlatformStack(runId, name, topics, database, apps, caller, operator);
      } finally {
        http.close();
      }
    } catch (error) {
      await Promise.all(started.map((app) => app.stop()));
      await cleanUp(name, runId, topics, database);
      throw error;
    }
  }

  /** The apps the stack started, for their CPU figures. */
  get processes(): AppProcess[] {
    return [
      this.apps.gateway,
      this.apps.processor,
      ...(this.apps.monitor ? [this.apps.monitor] : []),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((app) => app.stop()));
    await cleanUp(this.name, this.runId, this.topics, this.database);
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

async function cleanUp(
  name: string,
  runId: string,
  topics: PlatformStackTopics,
  database: TestDatabase,
): Promise<void> {
  // Everything with the run's prefix: runs were seen leaving their compacted balances topic behind.
  const left = await withAdmin(async (admin) =>
    (await admin.listTopics()).filter((topic) => topic.startsWith(topics.prefix)),
  ).catch(() => []);
  await deleteTestTopics(left).catch(() => undefined);
  await database.drop().catch(() => undefined);
  await deleteIndices(`${name}-${runId}`).catch(() => undefined);
  rmSync(runFiles(name, runId), { recursive: true, force: true });
}

/** The gateway's balances snapshot and the monitor's fallback directory of a run. */
function runFiles(name: string, runId: string): string {
  return join(REPO_ROOT, 'tmp', name, runId);
}

/** The run's search indices, by name (Elasticsearch refuses wildcard deletes by default). */
async function deleteIndices(prefix: string): Promise<void> {
  const elasticsearch = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
  const listed = await fetch(`${elasticsearch}/_cat/indices/${prefix}-*?format=json&h=index`);
  if (!listed.ok) return;
  const names = ((await listed.json()) as { index: string }[]).map((entry) => entry.index);
  if (names.length > 0) await fetch(`${elasticsearch}/${names.join(',')}`, { method: 'DELETE' });
}

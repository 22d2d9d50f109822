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
import { AppProcess, freePort, REPO_ROOT, type AppName } from '../support/app-process';
import { HttpClient } from '../proxy/http-client';
import { callerFor, createClient, createTenant, type BenchCaller } from '../proxy/platform';

/** Every topic of one run: the command pipeline's, usage, and the PIX flow's under the run's prefix. */
export function commandStackTopics(runId: string) {
  const prefix = `bench-commands.${runId}.`;
  return {
    prefix,
    commands: `${prefix}${TOPICS.userEvents}`,
    replies: `${prefix}${TOPICS.responseEvents}`,
    dlq: `${prefix}${TOPICS.userEventsDlq}`,
    usage: `${prefix}${TOPICS.usageEvents}`,
    usageDlq: `${prefix}${TOPICS.usageEvents}.dlq`,
    pix: PIX_TOPICS.map((name) => `${prefix}${name}`),
    balances: `${prefix}${TOPICS.accountBalances}`,
  };
}

export type CommandStackTopics = ReturnType<typeof commandStackTopics>;

export interface CommandStackOptions {
  /** 0: a free port the system picks. */
  ports: Record<AppName, number>;
  /** Extra flags for every app's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
  nodeArgs: string[];
}

/**
 * The three apps of bench:commands (built apps, `dist/`) as children of the bench, on a database,
 * topics, consumer groups, transactional ids and search indices of the run's own, so a run neither
 * needs `npm start` nor disturbs anyone else's stack on the shared dev services. The monitor reads
 * only the run's topics and writes `bench-commands-<run>-*` indices, deleted at the end with the
 * rest.
 */
export class CommandStack {
  private constructor(
    private readonly runId: string,
    readonly topics: CommandStackTopics,
    private readonly database: TestDatabase,
    private readonly indexPrefix: string,
    readonly apps: Record<AppName, AppProcess>,
    /** A tenant's client holding events:produce. */
    readonly caller: BenchCaller,
  ) {}

  static async start(runId: string, options: CommandStackOptions): Promise<CommandStack> {
    const topics = commandStackTopics(runId);
    const indexPrefix = `bench-commands-${runId}`;
    const fallbackDir = join(runFiles(runId), 'monitor-fallback');
    mkdirSync(fallbackDir, { recursive: true });
    const database = await createTestDatabase('bench_commands');
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
          nodeArgs: options.nodeArgs,
          ...(port ? { port } : {}),
          env: { ...common, ...env },
        },
        180000,
      );
      started.push(process);
      return process;
    };
    const common = {
      DATABASE_URL: database.url,
      KAFKA_CLIENT_ID: `bench-commands-${runId}`,
      LOG_LEVEL: 'info',
      PIX_TOPIC_PREFIX: topics.prefix,
    };
    try {
      await createTopicsRetrying([topics.commands, topics.replies, topics.usage, ...topics.pix], 6);
      await createTopicsRetrying([topics.dlq, topics.usageDlq], 1);
      const processor = await start('processor', {
        // Not `bench-commands-<run>`: that is the reply watcher's group (support/command-load.ts).
        PROCESSOR_GROUP_ID: `bench-commands-${runId}.processor`,
        PROCESSOR_COMMAND_TOPIC: topics.commands,
        PROCESSOR_REPLY_TOPIC: topics.replies,
        PROCESSOR_DLQ_TOPIC: topics.dlq,
        PROCESSOR_USAGE_TOPIC: topics.usage,
        PROCESSOR_USAGE_DLQ_TOPIC: topics.usageDlq,
      });
      // The gateway links to the monitor, which starts after it (it needs the gateway's keys).
      const monitorPort = options.ports.monitor || (await freePort());
      const gateway = await start('gateway', {
        AUTH_JWT_PRIVATE_KEY: generateSigningKeyPem(),
        AUTH_JWT_PRIVATE_KEY_FILE: '',
        GATEWAY_COMMAND_TOPIC: topics.commands,
        GATEWAY_REPLY_TOPIC: topics.replies,
        GATEWAY_REPLY_GROUP_ID: `bench-commands-${runId}.replies`,
        GATEWAY_USAGE_TOPIC: topics.usage,
        GATEWAY_TRANSACTIONAL_ID_PREFIX: `bench-commands-${runId}`,
        BALANCES_TOPIC: topics.balances,
        BALANCES_SNAPSHOT_PATH: join(runFiles(runId), 'balances.sqlite'),
        PLATFORM_PROCESSOR_URL: processor.baseUrl,
        PLATFORM_MONITOR_URL: `http://127.0.0.1:${monitorPort}`,
      });
      const monitor = await start(
        'monitor',
        {
          AUTH_JWKS_URL: `${gateway.baseUrl}/.well-known/jwks.json`,
          MONITOR_DOCS_TOKEN_URL: `${gateway.baseUrl}/oauth/token`,
          MONITOR_GROUP_ID: `bench-commands-${runId}.monitor`,
          MONITOR_TOPIC_PATTERN: `^${topics.prefix.replaceAll('.', '\\.')}`,
          MONITOR_INDEX_PREFIX: indexPrefix,
          MONITOR_FALLBACK_DIR: fallbackDir,
        },
        monitorPort,
      );
      const http = new HttpClient(gateway.baseUrl, 2);
      try {
        const operator = await callerFor(http, await bootstrapAdmin(database.url));
        const tenantId = `bench-commands-${runId}`;
        await createTenant(http, operator, tenantId, {
          produceRecordsPerSecond: 10_000_000,
          produceBytesPerSecond: 10 * 1024 * 1024 * 1024,
        });
        const caller = await createClient(http, operator, tenantId, 'bench-commands', [
          SCOPES.eventsProduce,
        ]);
        return new CommandStack(
          runId,
          topics,
          database,
          indexPrefix,
          { gateway, processor, monitor },
          caller,
        );
      } finally {
        http.close();
      }
    } catch (error) {
      await Promise.all(started.map((app) => app.stop()));
      await cleanUp(runId, topics, database, indexPrefix);
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.apps).map((app) => app.stop()));
    await cleanUp(this.runId, this.topics, this.database, this.indexPrefix);
  }
}

/**
 * createTestTopics, again after a failure: on the shared broker another run deleting its topics
 * meanwhile can make the metadata refresh before creating fail. Creating again is harmless.
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
  runId: string,
  topics: CommandStackTopics,
  database: TestDatabase,
  indexPrefix: string,
): Promise<void> {
  await deleteTestTopics([
    topics.commands,
    topics.replies,
    topics.dlq,
    topics.usage,
    topics.usageDlq,
    topics.balances,
    ...topics.pix,
  ]).catch(() => undefined);
  // Runs were seen leaving their compacted balances topic behind: delete whatever still has the
  // run's prefix.
  const left = await withAdmin(async (admin) =>
    (await admin.listTopics()).filter((name) => name.startsWith(topics.prefix)),
  ).catch(() => []);
  await deleteTestTopics(left);
  await database.drop().catch(() => undefined);
  await deleteIndices(indexPrefix).catch(() => undefined);
  rmSync(runFiles(runId), { recursive: true, force: true });
}

/** The gateway's balances snapshot and the monitor's fallback directory of a run. */
function runFiles(runId: string): string {
  return join(REPO_ROOT, 'tmp/bench-commands', runId);
}

/** The run's search indices, by name (Elasticsearch refuses wildcard deletes by default). */
async function deleteIndices(prefix: string): Promise<void> {
  const elasticsearch = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
  const listed = await fetch(`${elasticsearch}/_cat/indices/${prefix}-*?format=json&h=index`);
  if (!listed.ok) return;
  const names = ((await listed.json()) as { index: string }[]).map((entry) => entry.index);
  if (names.length > 0) await fetch(`${elasticsearch}/${names.join(',')}`, { method: 'DELETE' });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Producer } from 'kafkajs';
import {
  ACCESS_TOKEN_TYPE,
  accessTokenClaims,
  generateSigningKeyPem,
  loadSigningKey,
  signRs256,
  type Scope,
} from '@event-hub/auth';
import { ACKS_ALL, startKafkaBatchServer } from '@event-hub/kafka';
import { createHttpService } from '@event-hub/service-runtime';
import {
  createTestTopics,
  deleteTestTopics,
  testKafka,
  uniqueName,
  waitFor,
  withAdmin,
} from '@event-hub/testing';
import { MonitorModule } from '../../src/monitor.module';

const REPO_ROOT = join(__dirname, '../../../..');

export function elasticsearchUrl(): string {
  return process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
}

/**
 * Everything one test suite needs to run the monitor in isolation: its own topics (a unique
 * prefix the monitor's MONITOR_TOPIC_PATTERN restricts it to), consumer group, index prefix and
 * fallback directory. `cleanup()` removes all of them.
 */
export class MonitorTestbed {
  readonly run = uniqueName('it-monitor');
  readonly groupId = `${this.run}.group`;
  readonly indexPrefix = `it-logs-${this.run.slice(this.run.lastIndexOf('.') + 1)}`;
  readonly es = new Client({ node: elasticsearchUrl() });
  readonly topics: string[] = [];
  /** Stands for the gateway's signing key: the monitor verifies with its public half. */
  readonly signingPem = generateSigningKeyPem();
  private readonly signingKey = loadSigningKey(this.signingPem);
  fallbackDir = '';
  private producer: Producer | undefined;
  private readonly apps = new Set<NestFastifyApplication>();
  private readonly children = new Set<ChildProcess>();

  async setUp(): Promise<this> {
    this.fallbackDir = await mkdtemp(join(tmpdir(), 'monitor-fallback-'));
    return this;
  }

  topic(name: string): string {
    return `${this.run}.${name}`;
  }

  async createTopics(names: string[], partitions = 3): Promise<string[]> {
    const topics = names.map((n) => this.topic(n));
    await createTestTopics(topics, partitions);
    this.topics.push(...topics);
    return topics;
  }

  /** The monitor's environment for this testbed, plus overrides. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      ELASTICSEARCH_URL: elasticsearchUrl(),
      MONITOR_GROUP_ID: this.groupId,
      MONITOR_TOPIC_PATTERN: `^${this.run.replace(/[.]/g, '\\.')}\\.`,
      MONITOR_INDEX_PREFIX: this.indexPrefix,
      MONITOR_FALLBACK_DIR: this.fallbackDir,
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '1000',
      MONITOR_ES_PROBE_INTERVAL_MS: '250',
      MONITOR_RETRY_BUDGET_MS: '500',
      MONITOR_COMMIT_INTERVAL_MS: '200',
      AUTH_JWT_PUBLIC_KEY: this.signingPem,
      // .env points the monitor at a running gateway's JWKS; this testbed signs its own tokens.
      AUTH_JWKS_URL: '',
      ...overrides,
    };
  }

  /** An access token as the gateway issues it, for a client of `tenantId` holding `scopes`. */
  token(tenantId: string, scopes: Scope[]): string {
    const claims = accessTokenClaims({
      issuer: process.env['AUTH_JWT_ISSUER'] ?? 'event-hub',
      audience: process.env['AUTH_JWT_AUDIENCE'] ?? 'event-hub-api',
      clientId: `ehc_${tenantId}`,
      tenantId,
      scopes,
      ttlSeconds: 600,
      now: Date.now(),
    });
    return signRs256(
      { typ: ACCESS_TOKEN_TYPE, kid: this.signingKey.kid },
      claims,
      this.signingKey.privateKey,
    );
  }

  /** A platform operator's token: `admin` sees the records of every tenant. */
  operatorToken(): string {
    return this.token(process.env['AUTH_PLATFORM_TENANT'] ?? 'platform', ['logs:read', 'admin']);
  }

  /**
   * Boots the monitor in this process (Fastify inject for HTTP). Without the Swagger UI: its
   * static-file plugin is ESM-only and does not load under Jest (the document itself is tested).
   */
  async startInProcess(overrides: Record<string, string> = {}): Promise<NestFastifyApplication> {
    const env = this.env(overrides);
    const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    try {
      const app = await createHttpService(MonitorModule.forRoot());
      await app.init();
      await startKafkaBatchServer(app);
      await app.getHttpAdapter().getInstance().ready();
      this.apps.add(app);
      return app;
    } finally {
      // The app validated and cached its configuration; later apps start from a clean slate.
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  async stopInProcess(app: NestFastifyApplication): Promise<void> {
    this.apps.delete(app);
    await app.close();
  }

  /**
   * Boots the monitor as a child process from the sources, so a test can SIGKILL it: a real crash,
   * with no shutdown hook flushing or committing anything.
   */
  async startChild(
    overrides: Record<string, string> = {},
  ): Promise<{ child: ChildProcess; url: string }> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/monitor/src/main.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...this.env(overrides),
          SWC_NODE_PROJECT: 'apps/monitor/tsconfig.swc-node.json',
          MONITOR_PORT: String(port),
          HTTP_HOST: '127.0.0.1',
          LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`monitor child exited with ${child.exitCode}`);
        return (await fetch(`${url}/health`)).status > 0;
      },
      { timeoutMs: 60000, intervalMs: 250, what: 'the monitor child process to serve /health' },
    );
    return { child, url };
  }

  async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async produce(
    topic: string,
    messages: {
      key?: string | Buffer | null;
      value: string | Buffer | null;
      headers?: Record<string, string>;
      timestamp?: string;
    }[],
  ): Promise<void> {
    if (!this.producer) {
      this.producer = testKafka('monitor-it-producer').producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    for (let i = 0; i < messages.length; i += 1000) {
      await this.producer.send({ topic, acks: ACKS_ALL, messages: messages.slice(i, i + 1000) });
    }
  }

  /** Documents stored for this testbed's topics (after a refresh, so everything written counts). */
  async count(index = `${this.indexPrefix}-*`, topics = this.topics): Promise<number> {
    await this.es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
    const { count } = await this.es.count({
      index,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { terms: { topic: topics } },
    });
    return count;
  }

  async waitForCount(
    expected: number,
    what: string,
    timeoutMs = 60000,
    index?: string,
  ): Promise<void> {
    let last = -1;
    await waitFor(
      async () => {
        last = await this.count(index);
        return last === expected;
      },
      {
        timeoutMs,
        intervalMs: 500,
        what: `${what} (expected ${expected} documents, last count ${last})`,
      },
    );
  }

  /** True when the group committed every record of the testbed's topics (or of `topics`). */
  async committedEverything(topics = this.topics): Promise<boolean> {
    return withAdmin(async (admin) => {
      for (const topic of topics) {
        const [ends, committed] = await Promise.all([
          admin.fetchTopicOffsets(topic),
          admin.fetchOffsets({ groupId: this.groupId, topics: [topic] }),
        ]);
        for (const end of ends) {
          const done =
            committed[0]?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          if (Number(end.high) > 0 && Number(done) < Number(end.high)) return false;
        }
      }
      return true;
    });
  }

  async committedOffsets(): Promise<number> {
    return withAdmin(async (admin) => {
      let total = 0;
      for (const result of await admin.fetchOffsets({
        groupId: this.groupId,
        topics: this.topics,
      })) {
        for (const p of result.partitions) total += Math.max(0, Number(p.offset));
      }
      return total;
    });
  }

  async fallbackFiles(): Promise<string[]> {
    return (await readdir(this.fallbackDir).catch(() => []))
      .filter((f) => f.endsWith('.ndjson'))
      .sort();
  }

  async cleanup(): Promise<void> {
    for (const child of this.children) await this.kill(child);
    for (const app of this.apps) await app.close().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await deleteTestTopics(this.topics);
    await withAdmin((admin) => admin.deleteGroups([this.groupId])).catch(() => undefined);
    await this.es.indices
      .delete({ index: `${this.indexPrefix}-*`, ignore_unavailable: true, allow_no_indices: true })
      .catch(() => undefined);
    await this.es.indices.deleteIndexTemplate({ name: this.indexPrefix }).catch(() => undefined);
    await this.es.close();
    if (this.fallbackDir) await rm(this.fallbackDir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

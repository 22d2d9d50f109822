import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { SCOPES } from '@event-hub/auth';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  randomCpf,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess } from './support/app-process';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

interface LogPage {
  total: number;
  items: Record<string, unknown>[];
}

/**
 * Log search as a tenant uses it: a command through the gateway and the processor, indexed by the
 * monitor, then found in GET /logs and /logs/trace with the gateway's tokens (the monitor verifies
 * them with the gateway's JWKS), only by its own tenant, and with no personal data in the index.
 */
describe('log search end to end, with tokens', () => {
  const run = uniqueName('e2e-logsearch');
  const topics = {
    commands: `${run}.user_events`,
    replies: `${run}.response_events`,
    dlq: `${run}.user_events.dlq`,
  };
  const indexPrefix = `e2e-logs-${run.slice(run.lastIndexOf('.') + 1)}`.toLowerCase();
  const es = new Client({ node: process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200' });
  let db: TestDatabase;
  let fallbackDir: string;
  let gateway: AppProcess;
  let processor: AppProcess;
  let monitor: AppProcess;
  let owner: TenantCaller;
  let other: TenantCaller;
  let producerOnly: TenantCaller;
  let operatorToken: string;

  const logs = async (path: string, token?: string) => {
    const response = await fetch(`${monitor.baseUrl}${path}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_logsearch');
    fallbackDir = await mkdtemp(join(tmpdir(), 'e2e-logsearch-'));
    await createTestTopics([topics.commands, topics.replies], 3);
    await createTestTopics([topics.dlq], 1);
    processor = new AppProcess('processor', 18262, {
      DATABASE_URL: db.url,
      KAFKA_CLIENT_ID: run,
      PROCESSOR_GROUP_ID: run,
      PROCESSOR_COMMAND_TOPIC: topics.commands,
      PROCESSOR_REPLY_TOPIC: topics.replies,
      PROCESSOR_DLQ_TOPIC: topics.dlq,
    }).start();
    await processor.waitForHealth(200);
    gateway = new AppProcess('gateway', 18260, {
      DATABASE_URL: db.url,
      KAFKA_CLIENT_ID: run,
      GATEWAY_COMMAND_TOPIC: topics.commands,
      GATEWAY_REPLY_TOPIC: topics.replies,
      GATEWAY_REPLY_GROUP_ID: `${run}.replies`,
    }).start();
    monitor = new AppProcess('monitor', 18261, {
      KAFKA_CLIENT_ID: run,
      MONITOR_GROUP_ID: `${run}.monitor`,
      MONITOR_TOPIC_PATTERN: `^${run.replace(/[.]/g, '\\.')}\\.`,
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '1000',
      MONITOR_INDEX_PREFIX: indexPrefix,
      MONITOR_FALLBACK_DIR: fallbackDir,
      // The monitor holds no key: it fetches the gateway's public keys.
      AUTH_JWKS_URL: 'http://127.0.0.1:18260/.well-known/jwks.json',
      AUTH_JWT_PUBLIC_KEY: '',
      AUTH_JWT_PUBLIC_KEY_FILE: '',
    }).start();
    await Promise.all([gateway.waitForHealth(200), monitor.waitForHealth(200)]);

    const admin = await bootstrapAdmin(db.url);
    operatorToken = await tokenFor(gateway.baseUrl, admin);
    const tenant = (name: string) => `${run.replace(/\./g, '-')}-${name}`;
    [owner, other, producerOnly] = await Promise.all([
      createTenantCaller(gateway.baseUrl, operatorToken, tenant('a'), [
        SCOPES.eventsProduce,
        SCOPES.logsRead,
      ]),
      createTenantCaller(gateway.baseUrl, operatorToken, tenant('b'), [SCOPES.logsRead]),
      createTenantCaller(gateway.baseUrl, operatorToken, tenant('c'), [SCOPES.eventsProduce]),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway, processor, monitor].map((app) => app?.stop()));
    await deleteTestTopics(Object.values(topics));
    await es.indices
      .delete({ index: `${indexPrefix}-*`, ignore_unavailable: true, allow_no_indices: true })
      .catch(() => undefined);
    await es.indices.deleteIndexTemplate({ name: indexPrefix }).catch(() => undefined);
    await es.close();
    await db?.drop();
    await rm(fallbackDir, { recursive: true, force: true });
  });

  it("finds a tenant's command flow by e-mail and correlation id, for that tenant and operators only, with no personal data in the index", async () => {
    const cpf = randomCpf();
    const email = `${run}-ana@example.com`;
    const accepted = await fetch(`${gateway.baseUrl}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...owner.headers },
      body: JSON.stringify({ name: 'Ana Souza', email, document: cpf }),
    });
    expect(accepted.status).toBe(202);
    const { correlationId } = (await accepted.json()) as { correlationId: string };

    // The command and its reply, once both are indexed.
    const trace = await waitFor(
      async () => {
        const { status, body } = await logs(`/logs/trace/${correlationId}`, owner.token);
        const items = (body['items'] as Record<string, unknown>[] | undefined) ?? [];
        const topicsSeen = new Set(items.map((i) => i['topic']));
        return status === 200 && topicsSeen.has(topics.commands) && topicsSeen.has(topics.replies)
          ? (body as unknown as LogPage)
          : undefined;
      },
      { timeoutMs: 60000, intervalMs: 500, what: 'the command and its reply in the trace' },
    );
    expect(new Set(trace.items.map((i) => i['tenantId']))).toEqual(new Set([owner.tenantId]));

    // Exact search by the e-mail finds the flow although the index holds it masked.
    const byEmail = await logs(`/logs?q=${encodeURIComponent(email)}`, owner.token);
    expect(byEmail.status).toBe(200);
    expect((byEmail.body as unknown as LogPage).total).toBeGreaterThanOrEqual(1);
    expect((byEmail.body as unknown as LogPage).items[0]).toMatchObject({ correlationId });
    const byCpf = await logs(`/logs?q=${cpf}`, owner.token);
    expect((byCpf.body as unknown as LogPage).total).toBeGreaterThanOrEqual(1);

    // Another tenant: 404 on the flow, nothing by the e-mail.
    const foreign = await logs(`/logs/trace/${correlationId}`, other.token);
    expect(foreign.status).toBe(404);
    expect(foreign.contentType).toContain('application/problem+json');
    expect((await logs(`/logs?q=${encodeURIComponent(email)}`, other.token)).body).toMatchObject({
      total: 0,
    });
    // The operator sees the same flow.
    const operator = await logs(`/logs/trace/${correlationId}`, operatorToken);
    expect((operator.body as unknown as LogPage).total).toBe(trace.total);

    // Not one indexed document of the flow holds the e-mail or the CPF in clear.
    await es.indices.refresh({ index: `${indexPrefix}-*` });
    const { hits } = await es.search({
      index: `${indexPrefix}-*`,
      size: 1000,
      query: { match_all: {} },
    });
    expect(hits.hits.length).toBeGreaterThanOrEqual(2);
    for (const hit of hits.hits) {
      const source = JSON.stringify(hit._source);
      expect(source).not.toContain(email);
      expect(source).not.toContain(cpf);
    }
  });

  it('answers 401 without a token and 403 without logs:read', async () => {
    const missing = await logs('/logs');
    expect(missing).toMatchObject({ status: 401, body: { code: 'AUTH.MISSING_TOKEN' } });
    expect(missing.contentType).toContain('application/problem+json');
    const noScope = await logs('/logs', producerOnly.token);
    expect(noScope).toMatchObject({ status: 403, body: { code: 'AUTH.INSUFFICIENT_SCOPE' } });
    expect((await logs('/health')).status).toBe(200);
  });
});

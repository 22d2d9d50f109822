import { mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
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
import { AppProcess, REPO_ROOT } from './support/app-process';
import {
  pipelineGatewayEnv,
  pipelineProcessorEnv,
  pipelineTopics,
} from './support/command-pipeline';
import { deleteMonitorIndices } from './support/monitor-indices';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

/** Debian's chromium (tools/scripts/ensure-chromium.sh installs it); playwright-core brings none. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/**
 * Headless, and without the background traffic (updates, sync, field trials) a closed network
 * refuses: the page's own requests to the gateway are the only ones it makes.
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join(REPO_ROOT, 'test-output/platform-page/platform-page.png');
const RABBITMQ = { host: '127.0.0.1', port: 5672 };

const PORTS = { gateway: 18500, processor: 18501, monitor: 18502 };

/** Whether a TCP connection to RabbitMQ opens: what the page must then show, up or down. */
function rabbitReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(RABBITMQ, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The platform page (GET /) in a real browser: the three built apps against the real services, a
 * person signing in with a tenant's client credentials, and what the page shows them.
 */
describe('the platform page in headless Chromium', () => {
  const run = uniqueName('e2e-page');
  const topics = pipelineTopics(run);
  const indexPrefix = `e2e-page-${run.slice(run.lastIndexOf('.') + 1)}`.toLowerCase();
  const es = new Client({ node: process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200' });
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let monitor: AppProcess;
  let operatorToken: string;
  let tenantA: TenantCaller;
  let tenantB: TenantCaller;
  let browser: BrowserContext;
  let page: Page;
  let sent = 0;

  /** Sends a create-user command as `caller` and waits until the processor settled it. */
  async function settledCommand(caller: TenantCaller): Promise<string> {
    const response = await fetch(`${gateway.baseUrl}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...caller.headers },
      body: JSON.stringify({
        name: 'Page Reader',
        email: `${caller.tenantId}-${(sent += 1)}@example.com`,
        document: randomCpf(),
      }),
    });
    const accepted = (await response.json()) as { correlationId?: string };
    expect({ status: response.status, body: accepted }).toMatchObject({ status: 202 });
    const correlationId = String(accepted.correlationId);
    await waitFor(
      async () => {
        const status = await fetch(`${gateway.baseUrl}/status/${correlationId}`, {
          headers: caller.headers,
        });
        const body = (await status.json()) as { status: string };
        return body.status === 'PENDING' ? undefined : body;
      },
      { timeoutMs: 60000, intervalMs: 200, what: `command ${correlationId} to settle` },
    );
    return correlationId;
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_page');
    await createTestTopics([topics.commands, topics.replies], 3);
    await createTestTopics([topics.dlq], 1);
    // The processor owns the schema: let it migrate before the gateway queries it.
    processor = new AppProcess(
      'processor',
      PORTS.processor,
      pipelineProcessorEnv(db.url, run, topics),
    ).start();
    await processor.waitForHealth(200);
    gateway = new AppProcess('gateway', PORTS.gateway, {
      ...pipelineGatewayEnv(db.url, run, topics),
      PLATFORM_PROCESSOR_URL: `http://127.0.0.1:${PORTS.processor}`,
      PLATFORM_MONITOR_URL: `http://127.0.0.1:${PORTS.monitor}`,
      PLATFORM_RABBITMQ_URL: `amqp://${RABBITMQ.host}:${RABBITMQ.port}`,
      PLATFORM_SAMPLE_INTERVAL_MS: '1000',
      PLATFORM_GRAFANA_URL: 'http://localhost:3000',
      PLATFORM_KIBANA_URL: 'http://localhost:5601',
      // Empty hides a link.
      PLATFORM_KAFKA_UI_URL: '',
      PLATFORM_ADMINER_URL: '',
    }).start();
    monitor = new AppProcess('monitor', PORTS.monitor, {
      KAFKA_CLIENT_ID: run,
      MONITOR_GROUP_ID: `${run}.monitor`,
      MONITOR_TOPIC_PATTERN: `^${run.replace(/[.]/g, '\\.')}\\.`,
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: '1000',
      MONITOR_INDEX_PREFIX: indexPrefix,
      MONITOR_FALLBACK_DIR: await mkdtemp(join(tmpdir(), 'e2e-page-')),
      AUTH_JWKS_URL: `http://127.0.0.1:${PORTS.gateway}/.well-known/jwks.json`,
      AUTH_JWT_PUBLIC_KEY: '',
      AUTH_JWT_PUBLIC_KEY_FILE: '',
    }).start();
    await Promise.all([gateway.waitForHealth(200), monitor.waitForHealth(200)]);

    operatorToken = await tokenFor(gateway.baseUrl, await bootstrapAdmin(db.url));
    const tenant = (name: string) => `${run.replace(/\./g, '-')}-${name}`;
    [tenantA, tenantB] = await Promise.all([
      createTenantCaller(gateway.baseUrl, operatorToken, tenant('a'), [SCOPES.eventsProduce]),
      createTenantCaller(gateway.baseUrl, operatorToken, tenant('b'), [SCOPES.eventsProduce]),
    ]);

    // A fresh profile per run (playwright passes it as --user-data-dir).
    const userDataDir = await mkdtemp(join(tmpdir(), 'e2e-page-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 1000 },
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([gateway, processor, monitor].map((app) => app?.stop()));
    await deleteTestTopics(Object.values(topics));
    await deleteMonitorIndices(es, indexPrefix);
    await es.close();
    await db?.drop();
  });

  it("gives no command data without a token, and each tenant only its own (operators everyone's)", async () => {
    const [commandA, commandB] = await Promise.all([
      settledCommand(tenantA),
      settledCommand(tenantB),
    ]);
    const recent = async (headers: Record<string, string>) => {
      const response = await fetch(`${gateway.baseUrl}/platform/commands`, { headers });
      const body = (await response.json()) as {
        scope?: string;
        commands?: { correlationId: string }[];
      };
      return {
        status: response.status,
        scope: body.scope,
        ids: body.commands?.map((c) => c.correlationId),
      };
    };

    expect((await recent({})).status).toBe(401);
    expect(await recent(tenantA.headers)).toEqual({
      status: 200,
      scope: 'tenant',
      ids: [commandA],
    });
    expect(await recent(tenantB.headers)).toEqual({
      status: 200,
      scope: 'tenant',
      ids: [commandB],
    });
    const operator = await recent({ authorization: `Bearer ${operatorToken}` });
    expect(operator).toMatchObject({ status: 200, scope: 'all-tenants' });
    expect(operator.ids).toEqual(expect.arrayContaining([commandA, commandB]));
  });

  it('shows every component live, the sparklines, and after sign-in the tenant’s commands only', async () => {
    const sentByA = await settledCommand(tenantA);
    const sentByB = await settledCommand(tenantB);

    const response = await page.goto(`${gateway.baseUrl}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    // Component health, as the gateway aggregates it.
    const rabbitState = (await rabbitReachable()) ? 'up' : 'down';
    const expected: Record<string, string> = {
      gateway: 'up',
      processor: 'up',
      monitor: 'up',
      Kafka: 'up',
      Postgres: 'up',
      Elasticsearch: 'up',
      RabbitMQ: rabbitState,
    };
    for (const [name, state] of Object.entries(expected)) {
      await page
        .locator(`#components li[data-component="${name}"][data-state="${state}"]`)
        .waitFor({ timeout: 30000 });
    }

    // The sparklines, once the gateway has sampled the apps' metrics a few times: every series
    // drawn, and the commands just accepted showing as a rise above the baseline.
    for (const series of ['commandsAccepted', 'commandsProcessed', 'processorLag', 'monitorLag']) {
      await page
        .locator(`[data-series="${series}"] polyline`)
        .first()
        .waitFor({ state: 'attached', timeout: 30000 });
    }
    await waitFor(
      async () => {
        const lines: string[] = await page
          .locator('[data-series="commandsAccepted"] polyline')
          .evaluateAll((polylines) => polylines.map((line) => line.getAttribute('points') ?? ''));
        const ys = lines.flatMap((points) =>
          points.split(' ').map((xy) => Number(xy.split(',')[1])),
        );
        return ys.some((y) => y < 29) || undefined;
      },
      { timeoutMs: 30000, intervalMs: 500, what: 'the accepted commands in their sparkline' },
    );

    // The tool links come from the gateway's configuration.
    const links = await page
      .locator('#links a')
      .evaluateAll((anchors) => anchors.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['Swagger UI', '/docs'],
      ['Kibana', 'http://localhost:5601'],
      ['Grafana', 'http://localhost:3000'],
    ]);

    // A wrong secret is refused on the page, and shows no commands.
    await page.fill('#client-id', tenantA.clientId);
    await page.fill('#client-secret', 'not-the-secret');
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#sign-in-error').waitFor({ state: 'visible', timeout: 15000 });
    expect(await page.textContent('#sign-in-error')).toMatch(/^Sign-in refused/);
    expect(await page.isVisible('#signed-in')).toBe(false);

    // Signing in with tenant A's client credentials.
    await page.fill('#client-id', tenantA.clientId);
    await page.fill('#client-secret', tenantA.clientSecret);
    await page.click('#sign-in button[type="submit"]');
    await page.locator('#signed-in').waitFor({ state: 'visible', timeout: 15000 });
    expect(await page.textContent('#who')).toContain(tenantA.tenantId);

    const ownRow = page.locator(`#commands tr[data-correlation-id="${sentByA}"]`);
    await ownRow.waitFor({ timeout: 15000 });
    expect(await ownRow.locator('td.status').getAttribute('data-status')).toBe('COMPLETED');
    const tenants = await page.locator('#commands tbody td.tenant').allTextContents();
    expect(new Set(tenants)).toEqual(new Set([tenantA.tenantId]));
    expect(await page.locator(`#commands tr[data-correlation-id="${sentByB}"]`).count()).toBe(0);

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`platform page screenshot: ${SCREENSHOT}`);
  });

  it('shows an app that stops answering as down, and what only it checks as unknown', async () => {
    await monitor.stop();

    // The page refreshes by itself: no reload.
    await page
      .locator('#components li[data-component="monitor"][data-state="down"]')
      .waitFor({ timeout: 30000 });
    await page
      .locator('#components li[data-component="Elasticsearch"][data-state="unknown"]')
      .waitFor({ timeout: 30000 });
    expect(await page.getAttribute('#overall', 'data-state')).toBe('degraded');
    // Kafka is still checked by the gateway and the processor.
    expect(await page.getAttribute('#components li[data-component="Kafka"]', 'data-state')).toBe(
      'up',
    );
  });
});

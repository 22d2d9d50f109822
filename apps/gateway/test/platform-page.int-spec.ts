import { SCOPES } from '@event-hub/auth';
import {
  createTestDatabase,
  randomCpf,
  uniqueTenantId,
  type TestDatabase,
} from '@event-hub/testing';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  TestGateway,
  type GatewayTopics,
} from './support/gateway-harness';

interface RecentCommands {
  scope: string;
  commands: { correlationId: string; tenantId: string; status: string; command: string }[];
}

describe('the platform page routes against the real Postgres and Kafka', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_platform_page'),
      createGatewayTopics('gateway-platform-page'),
    ]);
    gateway = await TestGateway.start(
      TestGateway.env(db.url, topics, {
        // No processor or monitor here: the page reports them down, it does not fail.
        PLATFORM_PROCESSOR_URL: 'http://127.0.0.1:9',
        PLATFORM_MONITOR_URL: 'http://127.0.0.1:9',
        PLATFORM_RABBITMQ_URL: '',
        PLATFORM_GRAFANA_URL: 'https://grafana.example.com',
        PLATFORM_KAFKA_UI_URL: '',
        PLATFORM_KIBANA_URL: '',
        PLATFORM_ADMINER_URL: '',
      }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  async function sendCommand(headers: Record<string, string>): Promise<string> {
    const response = await gateway.post(
      '/users',
      { name: 'Page User', email: `${uniqueTenantId('p')}@example.com`, document: randomCpf() },
      headers,
    );
    expect(response.statusCode).toBe(202);
    return response.json<{ correlationId: string }>().correlationId;
  }

  it('serves the page without a token, with a CSP allowing only its own origin', async () => {
    const page = await gateway.inject({ method: 'GET', url: '/' });

    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('<script type="module" src="/platform/assets/page.js">');

    const script = await gateway.inject({ method: 'GET', url: '/platform/assets/page.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const style = await gateway.inject({ method: 'GET', url: '/platform/assets/page.css' });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('reports the gateway’s own dependencies up and the apps it cannot reach down, without a token', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/platform/health' });

    expect(response.statusCode).toBe(200);
    const health = response.json<{
      status: string;
      components: { name: string; state: string }[];
    }>();
    expect(health.status).toBe('degraded');
    expect(Object.fromEntries(health.components.map((c) => [c.name, c.state]))).toEqual({
      gateway: 'up',
      processor: 'down',
      monitor: 'down',
      Kafka: 'up',
      Postgres: 'up',
      Elasticsearch: 'unknown',
      RabbitMQ: 'not-configured',
    });
  });

  it('lists Swagger UI and the configured tools only', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/platform/links' });

    expect(response.json()).toEqual([
      { name: 'Swagger UI', url: '/docs' },
      { name: 'Grafana', url: 'https://grafana.example.com' },
    ]);
  });

  it('answers the recent commands only with a token, each tenant its own, operators all', async () => {
    const a = await gateway.bearer(uniqueTenantId('page-a'), [SCOPES.eventsProduce]);
    const b = await gateway.bearer(uniqueTenantId('page-b'), [SCOPES.eventsProduce]);
    const operator = await gateway.bearer('platform', [SCOPES.admin]);
    const fromA = await sendCommand(a.headers);
    const fromB = await sendCommand(b.headers);

    expect((await gateway.inject({ method: 'GET', url: '/platform/commands' })).statusCode).toBe(
      401,
    );

    const ofA = (await gateway.get('/platform/commands', a.headers)).json<RecentCommands>();
    expect(ofA).toEqual({
      scope: 'tenant',
      commands: [
        expect.objectContaining({
          correlationId: fromA,
          tenantId: a.tenantId,
          command: 'users.create_user',
        }),
      ],
    });

    const all = (await gateway.get('/platform/commands', operator.headers)).json<RecentCommands>();
    expect(all.scope).toBe('all-tenants');
    expect(all.commands.map((c) => c.correlationId)).toEqual(
      expect.arrayContaining([fromA, fromB]),
    );
  });

  it('refuses a limit outside 1..100, naming the field', async () => {
    const caller = await gateway.bearer(uniqueTenantId('page-limit'), [SCOPES.eventsProduce]);

    const response = await gateway.get('/platform/commands?limit=0', caller.headers);

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('limit');
  });

  it('documents the JSON routes in OpenAPI and leaves the page itself out', async () => {
    const paths = (await gateway.inject({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<string, Record<string, { 'x-public'?: boolean }>>;
    }>().paths;

    expect(paths).not.toHaveProperty(['/']);
    expect(paths).not.toHaveProperty(['/platform/assets/page.js']);
    expect(paths['/platform/health']?.['get']?.['x-public']).toBe(true);
    expect(paths['/platform/commands']?.['get']?.['x-public']).toBeUndefined();
    expect(paths).toHaveProperty(['/platform/throughput', 'get']);
  });
});

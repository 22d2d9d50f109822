import { SCOPES } from '@event-hub/auth';
import { createTestDatabase, uniqueTenantId, type TestDatabase } from '@event-hub/testing';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  TestGateway,
  type GatewayTopics,
} from '../support/gateway-harness';

describe('GET /auth/whoami against the real Postgres', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_whoami'),
      createGatewayTopics('gateway-whoami'),
    ]);
    gateway = await TestGateway.start(TestGateway.env(db.url, topics));
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  it('answers the tenant, client and scopes of the token that called it', async () => {
    const tenantId = uniqueTenantId('whoami');
    const caller = await gateway.bearer(tenantId, [SCOPES.eventsConsume, SCOPES.billingRead]);

    const response = await gateway.inject({
      method: 'GET',
      url: '/auth/whoami',
      headers: caller.headers,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      tenantId,
      clientId: caller.clientId,
      scopes: expect.arrayContaining([SCOPES.eventsConsume, SCOPES.billingRead]),
    });
    expect(response.json<{ scopes: string[] }>().scopes).toHaveLength(2);
  });

  it('needs no scope: a token with a single unrelated scope is enough', async () => {
    const caller = await gateway.bearer(uniqueTenantId('whoami'), [SCOPES.schemasWrite]);

    const response = await gateway.inject({
      method: 'GET',
      url: '/auth/whoami',
      headers: caller.headers,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ scopes: [SCOPES.schemasWrite] });
  });

  it('is 401 without a token', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/auth/whoami' });

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('is 401 with a token that does not verify', async () => {
    const response = await gateway.inject({
      method: 'GET',
      url: '/auth/whoami',
      headers: { authorization: 'Bearer not.a.token' },
    });

    expect(response.statusCode).toBe(401);
  });

  it('is documented in the OpenAPI description', async () => {
    const response = await gateway.inject({ method: 'GET', url: '/docs-json' });

    expect(response.json<{ paths: Record<string, unknown> }>().paths).toHaveProperty([
      '/auth/whoami',
      'get',
    ]);
  });
});

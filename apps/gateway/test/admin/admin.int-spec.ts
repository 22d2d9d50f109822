import type { OpenAPIObject } from '@nestjs/swagger';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import type { LightMyRequestResponse } from 'fastify';
import { AuthTestApp, testSigningKey } from '../support/auth-test-app';

describe('/admin (tenants and API clients)', () => {
  let db: TestDatabase;
  let app: AuthTestApp;
  let adminToken: string;
  let tenantToken: string;

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    token: string = adminToken,
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    });

  const tokenWith = async (clientId: string, clientSecret: string): Promise<number> =>
    (
      await app.requestToken({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      })
    ).status;

  beforeAll(async () => {
    db = await createTestDatabase('auth_admin');
    app = await AuthTestApp.start(
      { DATABASE_URL: db.url, AUTH_JWT_PRIVATE_KEY: testSigningKey() },
      { swagger: true },
    );
    adminToken = await app.tokenFor(
      await app.client('platform', ['admin', 'billing:read'], 'operator'),
    );
    tenantToken = await app.tokenFor(await app.client('bystander', ['events:produce']));
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('is closed to callers without the admin scope, and to anonymous ones', async () => {
    const forbidden = await call('GET', '/admin/tenants', undefined, tenantToken);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({
      code: 'AUTH.INSUFFICIENT_SCOPE',
      requiredScopes: ['admin'],
    });
    const anonymous = await app.inject({
      method: 'POST',
      url: '/admin/tenants',
      payload: { id: 'x1', name: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await app.tenants.find('x1')).toBeUndefined();
  });

  it('creates a tenant with default limits, or the ones given', async () => {
    const created = await call('POST', '/admin/tenants', { id: 'acme', name: '  ACME Corp ' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: 'acme',
      name: 'ACME Corp',
      disabled: false,
      limits: {
        maxTopics: 20,
        maxPartitionsPerTopic: 12,
        maxRetentionMs: 604800000,
        produceRecordsPerSecond: 5000,
        produceBytesPerSecond: 5242880,
        consumeRecordsPerSecond: 10000,
        consumeBytesPerSecond: 10485760,
      },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const limited = await call('POST', '/admin/tenants', {
      id: 'small-co',
      name: 'Small Co',
      limits: { maxTopics: 2, produceRecordsPerSecond: 10 },
    });
    expect(limited.statusCode).toBe(201);
    expect(limited.json().limits).toMatchObject({
      maxTopics: 2,
      produceRecordsPerSecond: 10,
      maxPartitionsPerTopic: 12,
    });
  });

  it('answers 409 TENANT.ALREADY_EXISTS for a taken id', async () => {
    await call('POST', '/admin/tenants', { id: 'taken', name: 'First' });
    const again = await call('POST', '/admin/tenants', { id: 'taken', name: 'Second' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'TENANT.ALREADY_EXISTS', status: 409 });
  });

  it.each<[string, object, string]>([
    ['an id that is not a slug', { id: 'Bad_Id', name: 'x' }, 'body.id'],
    ['an id starting with a dash', { id: '-acme', name: 'x' }, 'body.id'],
    ['a missing name', { id: 'nameless' }, 'body.name'],
    ['an unknown field', { id: 'extra', name: 'x', plan: 'gold' }, 'body.plan'],
    [
      'a limit out of bounds',
      { id: 'limits', name: 'x', limits: { maxTopics: 0 } },
      'body.limits.maxTopics',
    ],
  ])('refuses a tenant with %s, naming the field', async (_case, payload, field) => {
    const response = await call('POST', '/admin/tenants', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('lists every tenant by id', async () => {
    const response = await call('GET', '/admin/tenants');
    expect(response.statusCode).toBe(200);
    const ids = response.json().items.map((t: { id: string }) => t.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['acme', 'platform', 'bystander']));
  });

  it('creates a client whose secret is shown once and gets tokens with its scopes', async () => {
    const response = await call('POST', '/admin/tenants/acme/clients', {
      name: 'orders-service',
      scopes: ['events:consume', 'events:produce'],
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toEqual({
      clientId: expect.stringMatching(/^ehc_[\w-]{22}$/),
      tenantId: 'acme',
      name: 'orders-service',
      scopes: ['events:produce', 'events:consume'],
      status: 'active',
      createdAt: expect.any(String),
      rotatedAt: null,
      revokedAt: null,
      clientSecret: expect.stringMatching(/^ehs_[\w-]{43}$/),
      note: expect.any(String),
    });
    const token = await app.requestToken({
      grant_type: 'client_credentials',
      client_id: body.clientId,
      client_secret: body.clientSecret,
    });
    expect(token.body).toMatchObject({ scope: 'events:produce events:consume' });

    const listed = await call('GET', '/admin/tenants/acme/clients');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({ clientId: body.clientId, status: 'active' }),
    ]);
    expect(listed.body).not.toMatch(/secret|scrypt|hash/i);
  });

  it.each<[string, string, object, number, string, string | undefined]>([
    [
      'an unknown tenant',
      'nobody',
      { name: 'x', scopes: ['events:produce'] },
      404,
      'TENANT.NOT_FOUND',
      undefined,
    ],
    [
      'an unknown scope',
      'acme',
      { name: 'x', scopes: ['events:produce', 'root'] },
      400,
      'VALIDATION_FAILED',
      'body.scopes',
    ],
    ['no scopes', 'acme', { name: 'x', scopes: [] }, 400, 'VALIDATION_FAILED', 'body.scopes'],
    [
      'the admin scope outside the platform tenant',
      'acme',
      { name: 'x', scopes: ['admin'] },
      400,
      'CLIENT.INVALID_SCOPES',
      'body.scopes',
    ],
    [
      'a malformed tenant id in the path',
      'ACME!',
      { name: 'x', scopes: ['events:produce'] },
      400,
      'VALIDATION_FAILED',
      'params.tenantId',
    ],
  ])('refuses a client for %s', async (_case, tenant, payload, status, code, field) => {
    const response = await call(
      'POST',
      `/admin/tenants/${encodeURIComponent(tenant)}/clients`,
      payload,
    );
    expect({ status: response.statusCode, code: response.json().code }).toEqual({ status, code });
    if (field)
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('rotates a secret: the new one works, the old one no longer does', async () => {
    const created = (
      await call('POST', '/admin/tenants/acme/clients', {
        name: 'rotating',
        scopes: ['events:produce'],
      })
    ).json();
    const rotated = await call(
      'POST',
      `/admin/tenants/acme/clients/${created.clientId}/rotate`,
      {},
    );
    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const body = rotated.json();
    expect(body).toMatchObject({ clientId: created.clientId, rotatedAt: expect.any(String) });
    expect(body.clientSecret).not.toBe(created.clientSecret);
    expect(await tokenWith(created.clientId, created.clientSecret)).toBe(400);
    expect(await tokenWith(created.clientId, body.clientSecret)).toBe(200);
  });

  it('answers 404 CLIENT.NOT_FOUND for an unknown client, or one of another tenant', async () => {
    const other = (
      await call('POST', '/admin/tenants/small-co/clients', {
        name: 'theirs',
        scopes: ['events:produce'],
      })
    ).json();
    for (const url of [
      '/admin/tenants/acme/clients/ehc_nobody/rotate',
      `/admin/tenants/acme/clients/${other.clientId}/rotate`,
    ]) {
      const response = await call('POST', url, {});
      expect({ url, status: response.statusCode, code: response.json().code }).toEqual({
        url,
        status: 404,
        code: 'CLIENT.NOT_FOUND',
      });
    }
    expect((await call('DELETE', `/admin/tenants/acme/clients/${other.clientId}`)).statusCode).toBe(
      404,
    );
  });

  it('revokes a client: no tokens, its tokens refused, still listed; revoking again is harmless', async () => {
    const created = (
      await call('POST', '/admin/tenants/acme/clients', {
        name: 'leaving',
        scopes: ['events:produce'],
      })
    ).json();
    const token = await app.tokenForCredentials(created.clientId, created.clientSecret);
    expect((await app.get('/probe/produce', token)).statusCode).toBe(200);

    const revoked = await call('DELETE', `/admin/tenants/acme/clients/${created.clientId}`);
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');
    expect((await app.get('/probe/produce', token)).json().code).toBe('AUTH.CLIENT_REVOKED');
    expect(await tokenWith(created.clientId, created.clientSecret)).toBe(400);
    const listed = (await call('GET', '/admin/tenants/acme/clients')).json().items;
    expect(listed).toContainEqual(
      expect.objectContaining({
        clientId: created.clientId,
        status: 'revoked',
        revokedAt: expect.any(String),
      }),
    );
    expect(
      (await call('DELETE', `/admin/tenants/acme/clients/${created.clientId}`)).statusCode,
    ).toBe(204);

    const rotate = await call('POST', `/admin/tenants/acme/clients/${created.clientId}/rotate`, {});
    expect({ status: rotate.statusCode, code: rotate.json().code }).toEqual({
      status: 409,
      code: 'CLIENT.REVOKED',
    });
  });

  it('disables a tenant: its clients get no tokens and no new clients; enabling restores them', async () => {
    await call('POST', '/admin/tenants', { id: 'on-hold', name: 'On hold' });
    const member = (
      await call('POST', '/admin/tenants/on-hold/clients', {
        name: 'm',
        scopes: ['events:produce'],
      })
    ).json();
    const disabled = await call('PATCH', '/admin/tenants/on-hold', { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect(await tokenWith(member.clientId, member.clientSecret)).toBe(400);
    const refused = await call('POST', '/admin/tenants/on-hold/clients', {
      name: 'n',
      scopes: ['events:produce'],
    });
    expect({ status: refused.statusCode, code: refused.json().code }).toEqual({
      status: 409,
      code: 'TENANT.DISABLED',
    });
    await call('PATCH', '/admin/tenants/on-hold', { disabled: false });
    expect(await tokenWith(member.clientId, member.clientSecret)).toBe(200);
    expect((await call('PATCH', '/admin/tenants/missing', { disabled: true })).statusCode).toBe(
      404,
    );
  });

  describe('OpenAPI', () => {
    let document: OpenAPIObject;

    beforeAll(async () => {
      // Served without a token: Swagger UI's routes are not Nest routes, the guard never sees them.
      const response = await app.get('/docs-json');
      expect(response.statusCode).toBe(200);
      document = response.json();
      expect((await app.get('/docs')).statusCode).toBe(200);
    });

    it('offers the bearer scheme and the client-credentials flow against /oauth/token', () => {
      expect(document.components?.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        oauth2: {
          type: 'oauth2',
          flows: {
            clientCredentials: {
              tokenUrl: '/oauth/token',
              scopes: expect.objectContaining({
                admin: expect.any(String),
                'events:produce': expect.any(String),
              }),
            },
          },
        },
      });
      expect(document.security).toEqual([{ bearer: [] }, { oauth2: [] }]);
    });

    it('documents the admin routes with the admin scope and their errors', () => {
      const create = document.paths['/admin/tenants/{tenantId}/clients']?.post;
      expect(create?.tags).toEqual(['admin']);
      expect(create?.security).toEqual(
        expect.arrayContaining([{ bearer: [] }, { oauth2: ['admin'] }]),
      );
      expect(Object.keys(create?.responses ?? {})).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '404', '409']),
      );
    });

    it('marks the token endpoint, the JWKS and health as needing no token', () => {
      expect(document.paths['/oauth/token']?.post?.security).toEqual([]);
      expect(document.paths['/.well-known/jwks.json']?.get?.security).toEqual([]);
      expect(document.paths['/health']?.get?.security).toEqual([]);
      expect(document.paths['/probe/authenticated']?.get?.security).toBeUndefined();
    });
  });
});

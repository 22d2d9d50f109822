import { createPublicKey, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ACCESS_TOKEN_TYPE,
  loadSigningKey,
  signRs256,
  type IssuedClientSecret,
  type SigningKey,
} from '@event-hub/auth';
import { createTestDatabase, waitFor, type TestDatabase } from '@event-hub/testing';
import {
  AuthTestApp,
  claimsOf,
  hmacToken,
  publicPemOf,
  testSigningKey,
  unsignedToken,
} from '../support/auth-test-app';

const ISSUER = 'https://event-hub.test';
const AUDIENCE = 'event-hub-api';

describe('protected routes (bearer tokens)', () => {
  let db: TestDatabase;
  let app: AuthTestApp;
  let signingPem: string;
  let signingKey: SigningKey;
  let producer: IssuedClientSecret;
  let producerToken: string;

  const now = (): number => Math.floor(Date.now() / 1000);
  /** Claims of a valid token of `producer`, to be spoiled one at a time. */
  const validClaims = (): Record<string, unknown> => ({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: producer.client.clientId,
    client_id: producer.client.clientId,
    tenant: 'acme',
    scope: 'events:produce',
    iat: now() - 10,
    nbf: now() - 10,
    exp: now() + 600,
    jti: randomUUID(),
  });
  const sign = (claims: Record<string, unknown>, key: SigningKey = signingKey): string =>
    signRs256({ typ: ACCESS_TOKEN_TYPE, kid: signingKey.kid }, claims, key.privateKey);

  beforeAll(async () => {
    db = await createTestDatabase('auth_verify');
    signingPem = testSigningKey();
    signingKey = loadSigningKey(signingPem);
    app = await AuthTestApp.start({
      DATABASE_URL: db.url,
      AUTH_JWT_PRIVATE_KEY: signingPem,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
    });
    producer = await app.client('acme', ['events:produce', 'events:consume'], 'producer');
    producerToken = await app.tokenFor(producer);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('lets a valid token through and hands the handler its principal', async () => {
    const response = await app.get('/probe/produce', producerToken);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      clientId: producer.client.clientId,
      tenantId: 'acme',
      scopes: ['events:produce', 'events:consume'],
      subject: producer.client.clientId,
      source: 'local',
      issuer: ISSUER,
      tokenId: claimsOf(producerToken)['jti'],
    });
  });

  it('serves public routes without a token: @Public(), the token endpoint, JWKS, health, metrics', async () => {
    for (const url of ['/probe/open', '/.well-known/jwks.json', '/health', '/metrics']) {
      expect({ url, status: (await app.get(url)).statusCode }).toEqual({ url, status: 200 });
    }
  });

  it('answers 401 AUTH.MISSING_TOKEN with a bare Bearer challenge when no token is sent', async () => {
    const response = await app.get('/probe/authenticated');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="event-hub"');
    expect(response.json()).toMatchObject({ status: 401, code: 'AUTH.MISSING_TOKEN' });
  });

  describe('refuses with 401 and a Bearer invalid_token challenge', () => {
    const otherKey = loadSigningKey(testSigningKey());

    const cases: [string, () => string, string][] = [
      [
        'an expired token',
        () => sign({ ...validClaims(), iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }),
        'AUTH.TOKEN_EXPIRED',
      ],
      [
        'a token not valid yet',
        () => sign({ ...validClaims(), nbf: now() + 3600 }),
        'AUTH.TOKEN_NOT_YET_VALID',
      ],
      [
        'a token signed with another key under our kid',
        () => sign(validClaims(), otherKey),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token naming an unknown key',
        () =>
          signRs256(
            { typ: ACCESS_TOKEN_TYPE, kid: otherKey.kid },
            validClaims(),
            otherKey.privateKey,
          ),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token without a kid',
        () => signRs256({ typ: ACCESS_TOKEN_TYPE }, validClaims(), signingKey.privateKey),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'an unsigned token (alg: none)',
        () => unsignedToken({ typ: ACCESS_TOKEN_TYPE, kid: signingKey.kid }, validClaims()),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'an HS256 token keyed with our public key (algorithm confusion)',
        () =>
          hmacToken(
            { typ: ACCESS_TOKEN_TYPE, kid: signingKey.kid },
            validClaims(),
            publicPemOf(signingPem),
          ),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token of another issuer',
        () => sign({ ...validClaims(), iss: 'https://elsewhere.test' }),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token for another audience',
        () => sign({ ...validClaims(), aud: 'another-api' }),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token whose payload was altered after signing',
        () => {
          const [header, , signature] = producerToken.split('.');
          const altered = Buffer.from(
            JSON.stringify({ ...claimsOf(producerToken), tenant: 'other' }),
          ).toString('base64url');
          return `${header}.${altered}.${signature}`;
        },
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token without a tenant',
        () => sign({ ...validClaims(), tenant: undefined }),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token naming another tenant than its client',
        () => sign({ ...validClaims(), tenant: 'other' }),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'a token of a client that does not exist',
        () => sign({ ...validClaims(), sub: 'ehc_ghost', client_id: 'ehc_ghost' }),
        'AUTH.UNKNOWN_CLIENT',
      ],
      ['something that is not a JWT', () => 'not-a-jwt', 'AUTH.INVALID_TOKEN'],
    ];

    it.each(cases)('%s', async (_case, makeToken, code) => {
      const response = await app.get('/probe/authenticated', makeToken());
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 401,
        code,
      });
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer realm="event-hub", error="invalid_token", error_description="[^"]+"$/,
      );
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it.each([
      ['Token abc'],
      ['Bearer'],
      ['Bearer a b'],
      [`Basic ${Buffer.from('a:b').toString('base64')}`],
    ])('a malformed Authorization header: "%s"', async (authorization) => {
      const response = await app.inject({
        method: 'GET',
        url: '/probe/authenticated',
        headers: { authorization },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('AUTH.MALFORMED_AUTHORIZATION');
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    });
  });

  it('answers 403 AUTH.INSUFFICIENT_SCOPE naming the required scopes', async () => {
    const consumerOnly = await app.tokenFor(producer, 'events:consume');
    const response = await app.get('/probe/produce', consumerOnly);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      status: 403,
      code: 'AUTH.INSUFFICIENT_SCOPE',
      requiredScopes: ['events:produce'],
      missingScopes: ['events:produce'],
    });
    expect(response.json().detail).toContain('events:produce');
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="event-hub", error="insufficient_scope", scope="events:produce"',
    );
    const both = await app.get('/probe/billing-admin', producerToken);
    expect(both.statusCode).toBe(403);
    expect(both.json().requiredScopes).toEqual(['billing:read', 'admin']);
  });

  it('ignores an admin scope claimed by a token outside the platform tenant', async () => {
    const forged = sign({ ...validClaims(), scope: 'events:produce billing:read admin' });
    const response = await app.get('/probe/billing-admin', forged);
    // Well signed (we signed it) but a tenant client can never hold admin.
    expect(response.statusCode).toBe(403);
    expect(response.json().missingScopes).toEqual(['admin']);
  });

  it("refuses a revoked client's tokens at once on the instance that revoked it", async () => {
    const doomed = await app.client('acme', ['events:produce'], 'doomed');
    const token = await app.tokenFor(doomed);
    expect((await app.get('/probe/produce', token)).statusCode).toBe(200);
    await app.clients.revoke('acme', doomed.client.clientId);
    const response = await app.get('/probe/produce', token);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('AUTH.CLIENT_REVOKED');
  });

  it("refuses a disabled tenant's tokens, and accepts them again once it is enabled", async () => {
    const member = await app.client('paused', ['events:produce']);
    const token = await app.tokenFor(member);
    await app.tenants.setDisabled('paused', true);
    const refused = await app.get('/probe/produce', token);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('AUTH.TENANT_DISABLED');
    await app.tenants.setDisabled('paused', false);
    expect((await app.get('/probe/produce', token)).statusCode).toBe(200);
  });

  it('rotation: the old secret stops working, tokens issued before stay valid until they expire', async () => {
    const rotating = await app.client('acme', ['events:produce'], 'rotating');
    const before = await app.tokenFor(rotating);
    const rotated = await app.clients.rotate('acme', rotating.client.clientId);
    await expect(app.tokenFor(rotating)).rejects.toThrow(/invalid_client/);
    expect((await app.get('/probe/produce', before)).statusCode).toBe(200);
    const after = await app.tokenFor(rotated);
    expect((await app.get('/probe/produce', after)).statusCode).toBe(200);
  });

  it('rotation with revokeIssuedTokens: tokens issued before the rotation are refused too', async () => {
    const leaked = await app.client('acme', ['events:produce'], 'leaked');
    const stolen = sign({
      ...validClaims(),
      sub: leaked.client.clientId,
      client_id: leaked.client.clientId,
      iat: now() - 60,
      nbf: now() - 60,
    });
    expect((await app.get('/probe/produce', stolen)).statusCode).toBe(200);
    const rotated = await app.clients.rotate('acme', leaked.client.clientId, {
      revokeIssuedTokens: true,
    });
    const refused = await app.get('/probe/produce', stolen);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('AUTH.TOKEN_REVOKED');
    expect((await app.get('/probe/produce', await app.tokenFor(rotated))).statusCode).toBe(200);
  });

  it('counts refusals by reason on /metrics', async () => {
    const metrics = (await app.get('/metrics')).body;
    for (const reason of [
      'expired',
      'bad_signature',
      'bad_algorithm',
      'wrong_issuer',
      'revoked_client',
      'insufficient_scope',
    ]) {
      expect(metrics).toMatch(
        new RegExp(`auth_failures_total\\{stage="request",reason="${reason}"[^}]*\\} [1-9]`),
      );
    }
  });

  describe('across instances and key rotations', () => {
    it('another instance sees a revocation within its cache TTL', async () => {
      const other = await AuthTestApp.start({
        DATABASE_URL: db.url,
        AUTH_JWT_PRIVATE_KEY: signingPem,
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
        AUTH_CLIENT_CACHE_TTL_MS: '300',
      });
      try {
        const client = await app.client('acme', ['events:produce'], 'cross-instance');
        const token = await app.tokenFor(client);
        expect((await other.get('/probe/produce', token)).statusCode).toBe(200);
        await app.clients.revoke('acme', client.client.clientId);
        await waitFor(async () => (await other.get('/probe/produce', token)).statusCode === 401, {
          timeoutMs: 10000,
          what: 'the other instance to refuse the revoked client',
        });
      } finally {
        await other.close();
      }
    });

    it('after a signing key rotation, tokens of the previous key verify until they expire', async () => {
      const newPem = testSigningKey();
      const rotated = await AuthTestApp.start({
        DATABASE_URL: db.url,
        AUTH_JWT_PRIVATE_KEY: newPem,
        AUTH_JWT_PREVIOUS_PUBLIC_KEY: publicPemOf(signingPem),
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
      });
      try {
        const kids = (await rotated.get('/.well-known/jwks.json'))
          .json()
          .keys.map((k: { kid: string }) => k.kid);
        expect(kids).toEqual([loadSigningKey(newPem).kid, signingKey.kid]);
        expect((await rotated.get('/probe/produce', producerToken)).statusCode).toBe(200);
        const fresh = await rotated.tokenFor(producer);
        expect(JSON.parse(Buffer.from(fresh.split('.')[0] ?? '', 'base64url').toString()).kid).toBe(
          loadSigningKey(newPem).kid,
        );
        // The instance still on the old key does not know the new one.
        expect((await app.get('/probe/produce', fresh)).json().code).toBe('AUTH.INVALID_TOKEN');
      } finally {
        await rotated.close();
      }
    });
  });

  describe('tokens of an external identity provider', () => {
    const IDP_ISSUER = 'https://idp.test/realms/event-hub';
    let idpServer: Server;
    let idpKey: SigningKey;
    let federated: AuthTestApp;

    const idpToken = (claims: Record<string, unknown>, key: SigningKey = idpKey): string =>
      signRs256({ typ: 'JWT', kid: 'idp-key-1' }, claims, key.privateKey);
    const idpClaims = (): Record<string, unknown> => ({
      iss: IDP_ISSUER,
      aud: 'event-hub-federated',
      sub: 'service-account-42',
      azp: 'billing-exporter',
      org: 'acme',
      scp: ['billing:read', 'events:consume'],
      iat: now() - 5,
      exp: now() + 300,
    });

    beforeAll(async () => {
      idpKey = loadSigningKey(testSigningKey());
      const jwk = {
        ...idpKey.publicKey.export({ format: 'jwk' }),
        kid: 'idp-key-1',
        use: 'sig',
        alg: 'RS256',
      };
      idpServer = createServer((request, response) => {
        if (request.url === '/jwks.json') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ keys: [jwk] }));
        } else {
          response.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => idpServer.listen(0, '127.0.0.1', resolve));
      const { port } = idpServer.address() as AddressInfo;
      federated = await AuthTestApp.start({
        DATABASE_URL: db.url,
        AUTH_JWT_PRIVATE_KEY: signingPem,
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
        AUTH_EXTERNAL_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
        AUTH_EXTERNAL_ISSUER: IDP_ISSUER,
        AUTH_EXTERNAL_AUDIENCE: 'event-hub-federated',
        AUTH_EXTERNAL_TENANT_CLAIM: 'org',
        AUTH_EXTERNAL_SCOPE_CLAIM: 'scp',
      });
    });

    afterAll(async () => {
      await federated?.close();
      await new Promise((resolve) => idpServer?.close(resolve));
    });

    it("accepts the provider's token and maps its tenant and scope claims", async () => {
      const response = await federated.get('/probe/authenticated', idpToken(idpClaims()));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        clientId: 'billing-exporter',
        tenantId: 'acme',
        scopes: ['events:consume', 'billing:read'],
        subject: 'service-account-42',
        source: 'external',
        issuer: IDP_ISSUER,
      });
      expect((await federated.get('/probe/produce', idpToken(idpClaims()))).statusCode).toBe(403);
    });

    it('still accepts our own tokens', async () => {
      expect((await federated.get('/probe/produce', producerToken)).statusCode).toBe(200);
    });

    it.each<[string, () => string, string]>([
      [
        'from an unknown issuer signed with the same key',
        () => idpToken({ ...idpClaims(), iss: 'https://evil.test' }),
        'AUTH.INVALID_TOKEN',
      ],
      [
        "for our own audience instead of the provider's",
        () => idpToken({ ...idpClaims(), aud: AUDIENCE }),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'signed with a key the provider does not publish',
        () => idpToken(idpClaims(), loadSigningKey(testSigningKey())),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'for a tenant we do not have',
        () => idpToken({ ...idpClaims(), org: 'nobody' }),
        'AUTH.UNKNOWN_TENANT',
      ],
      [
        'without a tenant claim',
        () => idpToken({ ...idpClaims(), org: undefined }),
        'AUTH.INVALID_TOKEN',
      ],
      [
        'expired',
        () => idpToken({ ...idpClaims(), iat: now() - 7200, exp: now() - 3600 }),
        'AUTH.TOKEN_EXPIRED',
      ],
    ])('refuses a provider-style token %s', async (_case, makeToken, code) => {
      const response = await federated.get('/probe/authenticated', makeToken());
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 401,
        code,
      });
    });

    it('does not accept provider tokens on an instance without the provider configured', async () => {
      const response = await app.get('/probe/authenticated', idpToken(idpClaims()));
      expect(response.statusCode).toBe(401);
    });
  });

  it('refuses HS256 keyed with our public key in its PKCS#1 PEM form too', async () => {
    const pkcs1Public = createPublicKey(signingPem)
      .export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const token = hmacToken(
      { typ: ACCESS_TOKEN_TYPE, kid: signingKey.kid },
      validClaims(),
      pkcs1Public,
    );
    const response = await app.get('/probe/authenticated', token);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 401,
      code: 'AUTH.INVALID_TOKEN',
    });
  });
});

import { createPublicKey, verify } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import type { IssuedClientSecret } from '@event-hub/auth';
import { AuthTestApp, claimsOf, testSigningKey } from '../support/auth-test-app';

describe('POST /oauth/token (client credentials)', () => {
  let db: TestDatabase;
  let app: AuthTestApp;
  let client: IssuedClientSecret;

  const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
  const basic = (id: string, secret: string): string =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  beforeAll(async () => {
    db = await createTestDatabase('auth_token');
    app = await AuthTestApp.start({
      DATABASE_URL: db.url,
      AUTH_JWT_PRIVATE_KEY: testSigningKey(),
      AUTH_JWT_ISSUER: 'https://event-hub.test',
      AUTH_JWT_AUDIENCE: 'event-hub-api',
      AUTH_TOKEN_TTL_SECONDS: '900',
    });
    client = await app.client('acme', ['events:produce', 'events:consume'], 'orders');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('issues a token for a form body, with no-store caching', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({
        grant_type: 'client_credentials',
        client_id: client.client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['pragma']).toBe('no-cache');
    expect(response.json()).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'events:produce events:consume',
    });
  });

  it('issues a token for a JSON body, narrowed to the requested scope', async () => {
    const answer = await app.requestToken({
      grant_type: 'client_credentials',
      client_id: client.client.clientId,
      client_secret: client.clientSecret,
      scope: 'events:consume',
    });
    expect(answer.status).toBe(200);
    expect(answer.body['scope']).toBe('events:consume');
    expect(claimsOf(String(answer.body['access_token']))['scope']).toBe('events:consume');
  });

  it('issues a token for HTTP Basic credentials', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(client.client.clientId, client.clientSecret),
      },
      payload: form({ grant_type: 'client_credentials', scope: 'events:produce' }),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', scope: 'events:produce' });
  });

  it('signs an RS256 JWT with the claims and a kid the JWKS publishes', async () => {
    const token = await app.tokenFor(client);
    const [headerPart, payloadPart, signature] = token.split('.');
    const header = JSON.parse(Buffer.from(headerPart ?? '', 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const claims = claimsOf(token);
    expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: expect.any(String) });
    expect(claims).toEqual({
      iss: 'https://event-hub.test',
      aud: 'event-hub-api',
      sub: client.client.clientId,
      client_id: client.client.clientId,
      tenant: 'acme',
      scope: 'events:produce events:consume',
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(Math.abs(Number(claims['iat']) - now)).toBeLessThanOrEqual(5);
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(900);

    const jwks = await app.get('/.well-known/jwks.json');
    expect(jwks.statusCode).toBe(200);
    const [jwk] = jwks.json().keys;
    expect(jwk).toMatchObject({ kty: 'RSA', kid: header.kid, use: 'sig', alg: 'RS256' });
    expect(jwk).not.toHaveProperty('d');
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    expect(
      verify(
        'sha256',
        Buffer.from(`${headerPart}.${payloadPart}`),
        publicKey,
        Buffer.from(signature ?? '', 'base64url'),
      ),
    ).toBe(true);
  });

  describe('refusals in the RFC 6749 §5.2 shape', () => {
    const expectOAuthError = (
      answer: { status: number; body: Record<string, unknown>; headers: Record<string, unknown> },
      status: number,
      error: string,
    ): void => {
      expect({ status: answer.status, error: answer.body['error'] }).toEqual({ status, error });
      expect(answer.body['error_description']).toEqual(expect.any(String));
      expect(Object.keys(answer.body).sort()).toEqual(['error', 'error_description']);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.headers['cache-control']).toBe('no-store');
    };

    it('answers invalid_request without grant_type', async () => {
      expectOAuthError(
        await app.requestToken({ client_id: client.client.clientId, client_secret: 'x' }),
        400,
        'invalid_request',
      );
    });

    it('answers unsupported_grant_type for another grant', async () => {
      expectOAuthError(
        await app.requestToken({
          grant_type: 'password',
          client_id: client.client.clientId,
          client_secret: client.clientSecret,
        }),
        400,
        'unsupported_grant_type',
      );
    });

    it('answers invalid_request for a repeated parameter in a form', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${client.client.clientId}&client_id=other&client_secret=x`,
      });
      expectOAuthError(
        { status: response.statusCode, body: response.json(), headers: response.headers },
        400,
        'invalid_request',
      );
    });

    it('answers invalid_request when Basic and body credentials are both sent', async () => {
      expectOAuthError(
        await app.requestToken(
          { grant_type: 'client_credentials', client_secret: client.clientSecret },
          { authorization: basic(client.client.clientId, client.clientSecret) },
        ),
        400,
        'invalid_request',
      );
    });

    it('answers invalid_client (400) for a wrong secret in the body, and for an unknown client', async () => {
      expectOAuthError(
        await app.requestToken({
          grant_type: 'client_credentials',
          client_id: client.client.clientId,
          client_secret: `${client.clientSecret}x`,
        }),
        400,
        'invalid_client',
      );
      expectOAuthError(
        await app.requestToken({
          grant_type: 'client_credentials',
          client_id: 'ehc_nobody',
          client_secret: client.clientSecret,
        }),
        400,
        'invalid_client',
      );
    });

    it('answers invalid_client (401 with a Basic challenge) for wrong Basic credentials', async () => {
      const answer = await app.requestToken(
        { grant_type: 'client_credentials' },
        { authorization: basic(client.client.clientId, 'wrong') },
      );
      expectOAuthError(answer, 401, 'invalid_client');
      expect(answer.headers['www-authenticate']).toMatch(/^Basic realm="event-hub"/);
    });

    it('answers invalid_client (401 with a Basic challenge) without any credentials', async () => {
      const answer = await app.requestToken({ grant_type: 'client_credentials' });
      expectOAuthError(answer, 401, 'invalid_client');
      expect(answer.headers['www-authenticate']).toMatch(/^Basic /);
    });

    it('answers invalid_scope for a scope the client does not hold', async () => {
      const answer = await app.requestToken({
        grant_type: 'client_credentials',
        client_id: client.client.clientId,
        client_secret: client.clientSecret,
        scope: 'events:consume admin',
      });
      expectOAuthError(answer, 400, 'invalid_scope');
      expect(answer.body['error_description']).toContain('admin');
    });

    it('answers invalid_client for a revoked client, and for a client of a disabled tenant', async () => {
      const revoked = await app.client('acme', ['events:consume'], 'to-revoke');
      await app.clients.revoke('acme', revoked.client.clientId);
      expectOAuthError(
        await app.requestToken({
          grant_type: 'client_credentials',
          client_id: revoked.client.clientId,
          client_secret: revoked.clientSecret,
        }),
        400,
        'invalid_client',
      );

      const suspended = await app.client('suspended', ['events:consume']);
      await app.tenants.setDisabled('suspended', true);
      expectOAuthError(
        await app.requestToken({
          grant_type: 'client_credentials',
          client_id: suspended.client.clientId,
          client_secret: suspended.clientSecret,
        }),
        400,
        'invalid_client',
      );
    });

    it('answers invalid_request for a body that is not JSON', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/json' },
        payload: '{not json',
      });
      expect(response.statusCode).toBe(400);
    });
  });

  it('counts issued tokens and refusals by reason on /metrics', async () => {
    const metrics = (await app.get('/metrics')).body;
    expect(metrics).toMatch(
      /auth_tokens_issued_total\{auth_method="client_secret_post"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /auth_tokens_issued_total\{auth_method="client_secret_basic"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /auth_failures_total\{stage="token",reason="wrong_secret"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /auth_failures_total\{stage="token",reason="unknown_client"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /auth_failures_total\{stage="token",reason="invalid_scope"[^}]*\} [1-9]/,
    );
  });
});

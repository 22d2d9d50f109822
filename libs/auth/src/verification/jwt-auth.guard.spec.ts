import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { All, Body, Controller, Get, Post } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { ObservabilityModule } from '@event-hub/observability';
import { createHttpService } from '@event-hub/service-runtime';
import { AUTH_GUARDS } from '../auth-core.module';
import { AuthVerificationModule } from '../auth-verification.module';
import { generateSigningKeyPem } from '../keys/generate-signing-key';
import { loadSigningKey, type SigningKey } from '../keys/signing-keys';
import type { AuthPrincipal } from '../principal';
import { SCOPES, type Scope } from '../scopes/scopes';
import { ACCESS_TOKEN_TYPE, accessTokenClaims } from '../tokens/access-token';
import { signRs256 } from '../tokens/jwt';
import { Principal, Public, RequireScopes } from './decorators';
import { IssuerKeys } from './issuer-keys';

@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @RequireScopes(SCOPES.eventsProduce)
  @Post('produce')
  produce(@Principal() principal: AuthPrincipal, @Body() body: unknown): unknown {
    return { principal, body };
  }

  // The onRequest hook leaves `@All()` routes to the guard alone.
  @All('any')
  any(@Principal() principal: AuthPrincipal): AuthPrincipal {
    return principal;
  }
}

/** A verify-only app, wired as the monitor is, configured with `variables` alone. */
async function startApp(variables: Record<string, string>): Promise<NestFastifyApplication> {
  const config = {
    LOG_LEVEL: 'warn',
    AUTH_JWT_ISSUER: 'event-hub',
    AUTH_JWT_AUDIENCE: 'event-hub-api',
    ...variables,
  };
  const app = await createHttpService({
    module: class VerifyingAppModule {},
    imports: [
      // Neither .env nor the process environment: the test's variables are the whole configuration.
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        skipProcessEnv: true,
        load: [() => config],
      }),
      ObservabilityModule.forService('auth-guard-spec'),
      AuthVerificationModule.forRoot(),
    ],
    controllers: [ProbeController],
    providers: [...AUTH_GUARDS],
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('the JWT guard of a service that verifies tokens', () => {
  const signingKey: SigningKey = loadSigningKey(generateSigningKeyPem());
  const publicPem = signingKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let app: NestFastifyApplication;

  const token = (scopes: Scope[], overrides: Record<string, unknown> = {}): string =>
    signRs256(
      { typ: ACCESS_TOKEN_TYPE, kid: signingKey.kid },
      {
        ...accessTokenClaims({
          issuer: 'event-hub',
          audience: 'event-hub-api',
          clientId: 'ehc_acme',
          tenantId: 'acme',
          scopes,
          ttlSeconds: 600,
          now: Date.now(),
        }),
        ...overrides,
      },
      signingKey.privateKey,
    );
  const send = (options: InjectOptions, bearer?: string): Promise<LightMyRequestResponse> =>
    app.inject({
      ...options,
      headers: {
        ...(options.headers ?? {}),
        ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      },
    });
  const produce = (payload: string, bearer?: string): Promise<LightMyRequestResponse> =>
    send(
      {
        method: 'POST',
        url: '/probe/produce',
        payload,
        headers: { 'content-type': 'application/json' },
      },
      bearer,
    );

  beforeAll(async () => {
    app = await startApp({ AUTH_JWT_PUBLIC_KEY: publicPem });
  });

  afterAll(async () => {
    await app?.close();
  });

  afterEach(() => jest.restoreAllMocks());

  it('serves a valid token the principal of its claims', async () => {
    const response = await produce('{"n":1}', token([SCOPES.eventsProduce]));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      principal: {
        clientId: 'ehc_acme',
        tenantId: 'acme',
        scopes: ['events:produce'],
        subject: 'ehc_acme',
        source: 'local',
        issuer: 'event-hub',
        tokenId: expect.any(String),
      },
      body: { n: 1 },
    });
  });

  it('refuses a request without a token before reading its body, with a bare Bearer challenge', async () => {
    // Not JSON: had the body been parsed first, the answer would be 400.
    const response = await produce('{not json');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="event-hub"');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 401, code: 'AUTH.MISSING_TOKEN' });
    expect((await produce('{not json', token([SCOPES.eventsProduce]))).statusCode).toBe(400);
  });

  it.each<[string, string, () => Record<string, string>, RegExp]>([
    [
      'an Authorization header that is not a bearer token',
      'AUTH.MALFORMED_AUTHORIZATION',
      () => ({ authorization: 'Basic dXNlcjpwYXNz' }),
      /error="invalid_token"/,
    ],
    [
      'an expired token',
      'AUTH.TOKEN_EXPIRED',
      () => ({
        authorization: `Bearer ${token([SCOPES.eventsProduce], { exp: Math.floor(Date.now() / 1000) - 3600 })}`,
      }),
      /error_description="The access token has expired"/,
    ],
    [
      'a token for another audience',
      'AUTH.INVALID_TOKEN',
      () => ({ authorization: `Bearer ${token([SCOPES.eventsProduce], { aud: 'someone-else' })}` }),
      /error="invalid_token"/,
    ],
    [
      'a token that is no JWT',
      'AUTH.INVALID_TOKEN',
      () => ({ authorization: 'Bearer abc.def' }),
      /error="invalid_token"/,
    ],
  ])('answers %s with 401 %s', async (_case, code, headers, challenge) => {
    const response = await send({
      method: 'POST',
      url: '/probe/produce',
      payload: '{}',
      headers: { 'content-type': 'application/json', ...headers() },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ status: 401, code, title: 'Unauthorized' });
    expect(response.headers['www-authenticate']).toMatch(challenge);
  });

  it('answers a token without the route’s scope 403 naming the missing scope', async () => {
    const response = await produce('{}', token([SCOPES.eventsConsume]));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      code: 'AUTH.INSUFFICIENT_SCOPE',
      requiredScopes: ['events:produce'],
      missingScopes: ['events:produce'],
    });
  });

  it('verifies a token once per request, though both the hook and the guard authenticate it', async () => {
    const resolve = jest.spyOn(IssuerKeys.prototype, 'resolve');
    expect((await produce('{}', token([SCOPES.eventsProduce]))).statusCode).toBe(201);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('guards routes the hook leaves alone through passport, with the same answers', async () => {
    const resolve = jest.spyOn(IssuerKeys.prototype, 'resolve');
    const refused = await send({ method: 'DELETE', url: '/probe/any' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'AUTH.MISSING_TOKEN' });
    const served = await send({ method: 'DELETE', url: '/probe/any' }, token([]));
    expect(served.statusCode).toBe(200);
    expect(served.json()).toMatchObject({ clientId: 'ehc_acme', tenantId: 'acme', scopes: [] });
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('needs no token on @Public() routes nor on the public route patterns', async () => {
    expect((await send({ method: 'GET', url: '/probe/open' })).statusCode).toBe(200);
    // ObservabilityModule's controller cannot carry @Public(): /metrics is a default public pattern.
    expect((await send({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });

  describe('with the keys of a JWKS (AUTH_JWKS_URL)', () => {
    let jwksServer: Server;
    let jwksApp: NestFastifyApplication;
    let jwksUp = true;

    beforeAll(async () => {
      const jwk = { ...signingKey.publicKey.export({ format: 'jwk' }), kid: signingKey.kid };
      jwksServer = createServer((_request, response) => {
        if (!jwksUp) return void response.writeHead(500).end();
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [{ ...jwk, use: 'sig', alg: 'RS256' }] }));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      const { port } = jwksServer.address() as AddressInfo;
      jwksApp = await startApp({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` });
    });

    afterAll(async () => {
      await jwksApp?.close();
      await new Promise((resolve) => jwksServer?.close(resolve));
    });

    const get = (bearer: string): Promise<LightMyRequestResponse> =>
      jwksApp.inject({
        method: 'GET',
        url: '/probe/any',
        headers: { authorization: `Bearer ${bearer}` },
      });

    it('accepts a token signed with a published key', async () => {
      expect((await get(token([]))).statusCode).toBe(200);
    });

    it('answers 503 with Retry-After while the JWKS cannot be read for a key it has not cached', async () => {
      jwksUp = false;
      try {
        const unknownKid = signRs256(
          { typ: ACCESS_TOKEN_TYPE, kid: 'not-cached-yet' },
          accessTokenClaims({
            issuer: 'event-hub',
            audience: 'event-hub-api',
            clientId: 'ehc_acme',
            tenantId: 'acme',
            scopes: [],
            ttlSeconds: 600,
            now: Date.now(),
          }),
          signingKey.privateKey,
        );
        const response = await get(unknownKid);
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.json()).toMatchObject({ status: 503, code: 'AUTH.UNAVAILABLE' });
      } finally {
        jwksUp = true;
      }
    });
  });
});

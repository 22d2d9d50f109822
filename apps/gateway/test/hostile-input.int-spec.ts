import { connect, type AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { SCOPES } from '@event-hub/auth';
import { createTestDatabase, uniqueTenantId, type TestDatabase } from '@event-hub/testing';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  TestGateway,
  type GatewayTopics,
  type TestCaller,
} from './support/gateway-harness';

const USER_ID = '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const JSON_TYPE = { 'content-type': 'application/json' };

/** `{"a":{"a":…}}` nested `depth` levels. */
const nestedObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A problem+json answer with this status and code (and the rest of RFC 9457's members). */
function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(response.json()).toMatchObject({
    type: expect.stringMatching(/^https:\/\/event-hub\.dev\/problems\//),
    title: expect.any(String),
    status,
    code,
  });
}

describe('hostile and sloppy input: a clear 4xx problem, never a 500', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let gateway: TestGateway;
  let caller: TestCaller;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_hostile'),
      createGatewayTopics('gateway-hostile'),
    ]);
    gateway = await TestGateway.start(TestGateway.env(db.url, topics));
    caller = await gateway.bearer(uniqueTenantId('hostile'), [
      SCOPES.eventsProduce,
      SCOPES.topicsAdmin,
    ]);
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  const send = (
    method: 'POST' | 'PUT' | 'DELETE' | 'GET' | 'PATCH',
    url: string,
    payload?: string | Buffer,
    headers: Record<string, string> = JSON_TYPE,
  ): Promise<LightMyRequestResponse> =>
    gateway.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload }),
      headers: { ...caller.headers, ...headers },
    });

  describe('JSON nesting depth', () => {
    it.each([
      ['POST /users', '/users'],
      ['produce', '/topics/orders/records'],
    ])('refuses a body nested 10,000 levels on %s as 400 REQUEST.TOO_DEEP', async (_name, url) => {
      const response = await send('POST', url, `{"value":${nestedObject(10_000)}}`);
      expectProblem(response, 400, 'REQUEST.TOO_DEEP');
      expect(response.json().detail).toMatch(/64/);
    });

    it('refuses deep arrays as well as objects', async () => {
      const response = await send('POST', '/users', `${'['.repeat(65)}${']'.repeat(65)}`);
      expectProblem(response, 400, 'REQUEST.TOO_DEEP');
    });

    it('still validates a body within the limit, brackets inside strings not counted', async () => {
      const response = await send(
        'POST',
        '/users',
        JSON.stringify({ name: '[[[[{{{{'.repeat(20), email: 'nope', document: '1' }),
      );
      expectProblem(response, 400, 'VALIDATION_FAILED');
    });
  });

  describe('money', () => {
    it.each([['1e3'], ['0.1'], ['149.9'], ['10']])(
      'refuses the JSON number %s as an amount, naming body.amount',
      async (amount) => {
        const response = await send(
          'POST',
          `/users/${USER_ID}/payments`,
          `{"amount":${amount},"currency":"BRL","method":"pix"}`,
        );
        expectProblem(response, 400, 'VALIDATION_FAILED');
        expect(response.json().errors).toEqual([
          { field: 'body.amount', message: 'amount must be a decimal string such as "149.90"' },
        ]);
      },
    );
  });

  describe('text encoding', () => {
    it('refuses a JSON body with invalid UTF-8 instead of storing U+FFFD', async () => {
      const body = Buffer.concat([
        Buffer.from('{"name":"Ana '),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('","email":"ana@example.com","document":"529.982.247-25"}'),
      ]);
      const response = await send('POST', '/users', body);
      expectProblem(response, 400, 'REQUEST.INVALID_UTF8');
    });

    it('refuses a form body with invalid UTF-8', async () => {
      const response = await gateway.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: Buffer.concat([
          Buffer.from('grant_type=client_credentials&client_id='),
          Buffer.from([0xff]),
        ]),
      });
      expectProblem(response, 400, 'REQUEST.INVALID_UTF8');
    });

    it('refuses an escaped unpaired surrogate, which would be stored as U+FFFD too', async () => {
      const response = await send(
        'POST',
        '/topics/orders/records',
        '{"value":{"note":"half an emoji: \\ud83d"}}',
      );
      expectProblem(response, 400, 'REQUEST.INVALID_UTF8');
    });

    it('accepts well-formed multi-byte text, also as an escaped surrogate pair, and a value naming __proto__', async () => {
      for (const body of [
        JSON.stringify({ name: 'Conceição 😀', email: 'nope', document: '1' }),
        '{"name":"Ana \\ud83d\\ude00","email":"nope","document":"__proto__"}',
      ]) {
        const response = await send('POST', '/users', body);
        expectProblem(response, 400, 'VALIDATION_FAILED');
        expect(response.json().errors.map((e: { field: string }) => e.field)).not.toContain(
          'body.name',
        );
      }
    });
  });

  describe("the framework's own errors are problem details too", () => {
    it('414 REQUEST.URI_TOO_LONG for a 300-character path segment', async () => {
      expectProblem(await send('GET', `/users/${'a'.repeat(300)}`), 414, 'REQUEST.URI_TOO_LONG');
    });

    it('400 REQUEST.BAD_URL for a path that does not percent-decode', async () => {
      expectProblem(await send('GET', '/users/%E0%A4%A'), 400, 'REQUEST.BAD_URL');
    });

    it('a query that does not percent-decode is a validation failure, not a 500', async () => {
      const response = await send('GET', '/users?email=%FF%FE&pageSize=%E0%A4%A');
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('404 REQUEST.ROUTE_NOT_FOUND for a path no route serves', async () => {
      expectProblem(await send('GET', '/no-such-route'), 404, 'REQUEST.ROUTE_NOT_FOUND');
    });

    it('405 REQUEST.METHOD_NOT_ALLOWED with Allow for a method the path does not serve', async () => {
      const response = await send('PATCH', '/users', '{}');
      expectProblem(response, 405, 'REQUEST.METHOD_NOT_ALLOWED');
      expect(response.headers['allow']).toMatch(/GET/);
      expect(response.headers['allow']).toMatch(/POST/);
    });

    it('413 REQUEST.BODY_TOO_LARGE beyond the body limit', async () => {
      const response = await send('POST', '/users', `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`);
      expectProblem(response, 413, 'REQUEST.BODY_TOO_LARGE');
    });

    it('415 REQUEST.UNSUPPORTED_MEDIA_TYPE for a body in another format', async () => {
      const response = await send('POST', '/users', '<user/>', {
        'content-type': 'application/xml',
      });
      expectProblem(response, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    });

    it('400 REQUEST.MALFORMED_JSON for JSON that does not parse, or an empty JSON body', async () => {
      expectProblem(await send('POST', '/users', '{"name":'), 400, 'REQUEST.MALFORMED_JSON');
      expectProblem(await send('POST', '/users', ''), 400, 'REQUEST.MALFORMED_JSON');
    });

    it('400 REQUEST.MALFORMED_JSON for a __proto__ key', async () => {
      const response = await send('POST', '/users', '{"__proto__":{"admin":true}}');
      expectProblem(response, 400, 'REQUEST.MALFORMED_JSON');
    });

    it('400 REQUEST.MALFORMED_JSON for a __proto__ key spelled with escapes, deep down, or a constructor.prototype', async () => {
      for (const body of [
        '{"\\u005f_pro\\u0074o__":{"admin":true}}',
        '{"value":{"a":[{"b":{"__proto__":{"admin":true}}}]}}',
        '{"value":{"constructor":{"prototype":{"admin":true}}}}',
      ]) {
        expectProblem(await send('POST', '/users', body), 400, 'REQUEST.MALFORMED_JSON');
      }
    });
  });

  describe("requests Node's HTTP parser refuses, on a listening server", () => {
    let port: number;

    beforeAll(async () => {
      await gateway.app.listen(0, '127.0.0.1');
      port = (gateway.app.getHttpServer().address() as AddressInfo).port;
    });

    /** Sends raw bytes and returns the status line, content type and body of the answer. */
    const raw = (request: string): Promise<{ status: number; type: string; body: string }> =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head = '', body = ''] = Buffer.concat(chunks).toString().split('\r\n\r\n');
          resolve({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
            type: /content-type: ([^\r]+)/i.exec(head)?.[1] ?? '',
            body,
          });
        });
      });

    it('431 REQUEST.HEADERS_TOO_LARGE for headers over the limit', async () => {
      const answer = await raw(
        `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(answer).toMatchObject({ status: 431, type: 'application/problem+json' });
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'REQUEST.HEADERS_TOO_LARGE' });
    });

    it('400 REQUEST.MALFORMED_HTTP for bytes that are not HTTP', async () => {
      const answer = await raw('HELLO THERE\r\n\r\n');
      expect(answer).toMatchObject({ status: 400, type: 'application/problem+json' });
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'REQUEST.MALFORMED_HTTP' });
    });
  });

  describe('authentication comes first', () => {
    const anonymous = (
      method: 'POST' | 'DELETE',
      url: string,
      payload: string,
      headers: Record<string, string> = JSON_TYPE,
    ): Promise<LightMyRequestResponse> => gateway.inject({ method, url, payload, headers });

    it('401 for DELETE /topics/x with a JSON content type and no token', async () => {
      const response = await anonymous('DELETE', '/topics/x', '');
      expectProblem(response, 401, 'AUTH.MISSING_TOKEN');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it.each([
      ['malformed JSON', '{"name":'],
      ['JSON nested 10,000 levels', nestedObject(10_000)],
      ['invalid fields', '{"admin":true}'],
    ])('401, not 400, for %s without a token', async (_case, payload) => {
      expectProblem(await anonymous('POST', '/users', payload), 401, 'AUTH.MISSING_TOKEN');
    });

    it('401 for a forged token before the body is read', async () => {
      const response = await gateway.inject({
        method: 'POST',
        url: '/users',
        payload: nestedObject(10_000),
        headers: { ...JSON_TYPE, authorization: 'Bearer not.a.token' },
      });
      expectProblem(response, 401, 'AUTH.INVALID_TOKEN');
    });

    it('401 before the body on every route the API documents as needing a token', async () => {
      const document = (await gateway.inject({ method: 'GET', url: '/docs-json' })).json<{
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      }>();
      const protectedOperations = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, operation]) => (operation.security ?? [undefined]).length > 0)
          .map(([method]) => ({
            method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
            url: path.replace(/\{[^}]+\}/g, 'x'),
          })),
      );
      expect(protectedOperations.length).toBeGreaterThan(20);

      const answers = await Promise.all(
        protectedOperations.map(async ({ method, url }) => {
          const withBody = method !== 'GET';
          const response = await gateway.inject({
            method,
            url,
            ...(withBody ? { payload: '{"not json', headers: JSON_TYPE } : {}),
          });
          return `${method} ${url} → ${response.statusCode} ${response.json().code}`;
        }),
      );
      expect(answers.filter((answer) => !answer.endsWith('401 AUTH.MISSING_TOKEN'))).toEqual([]);
    });

    it('leaves the public routes open: the token endpoint still answers OAuth errors', async () => {
      const response = await anonymous('POST', '/oauth/token', '{"grant_type":"password"}');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('leaves health and metrics open', async () => {
      for (const url of ['/metrics', '/.well-known/jwks.json']) {
        expect((await gateway.inject({ method: 'GET', url })).statusCode).toBe(200);
      }
    });
  });
});

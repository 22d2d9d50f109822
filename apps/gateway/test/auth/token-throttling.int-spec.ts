import { performance } from 'node:perf_hooks';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import { SecretHasher, type IssuedClientSecret } from '@event-hub/auth';
import { AuthTestApp, testSigningKey, type TokenAnswer } from '../support/auth-test-app';

const MAX_PER_CLIENT = 5;
const MAX_PER_ADDRESS = 8;

describe('POST /oauth/token under secret guessing', () => {
  let db: TestDatabase;
  let app: AuthTestApp;
  let scryptChecks: jest.SpyInstance;
  let addresses = 0;

  /** A fresh source address per call unless one is given (the app trusts X-Forwarded-For). */
  const tokenRequest = (
    clientId: string,
    clientSecret: string,
    address = `198.51.100.${++addresses % 250}`,
  ): Promise<TokenAnswer> =>
    app.requestToken(
      { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
      { 'x-forwarded-for': address },
    );

  beforeAll(async () => {
    db = await createTestDatabase('auth_throttling');
    app = await AuthTestApp.start({
      DATABASE_URL: db.url,
      AUTH_JWT_PRIVATE_KEY: testSigningKey(),
      AUTH_TOKEN_MAX_FAILURES_PER_CLIENT: String(MAX_PER_CLIENT),
      AUTH_TOKEN_MAX_FAILURES_PER_ADDRESS: String(MAX_PER_ADDRESS),
      AUTH_TOKEN_FAILURE_WINDOW_SECONDS: '60',
    });
    scryptChecks = jest.spyOn(app.app.get(SecretHasher), 'verify');
  });

  beforeEach(() => scryptChecks.mockClear());

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('throttles a client id after its failures, before hashing: 429, Retry-After, problem details', async () => {
    const victim = await app.client('guessed', ['events:produce']);
    const answers: TokenAnswer[] = [];
    for (let i = 0; i < 40; i++) {
      answers.push(await tokenRequest(victim.client.clientId, `ehs_guess_${i}`));
    }

    expect(answers.slice(0, MAX_PER_CLIENT).map((a) => a.status)).toEqual(
      Array(MAX_PER_CLIENT).fill(400),
    );
    const throttled = answers.slice(MAX_PER_CLIENT);
    expect(new Set(throttled.map((a) => a.status))).toEqual(new Set([429]));
    const last = throttled[throttled.length - 1] as TokenAnswer;
    expect(last.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(last.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(last.body).toMatchObject({
      status: 429,
      code: 'AUTH.TOO_MANY_FAILED_ATTEMPTS',
      error: 'too_many_attempts',
    });
    // Only the attempts before the limit cost scrypt.
    expect(scryptChecks).toHaveBeenCalledTimes(MAX_PER_CLIENT);
  });

  it('keeps serving the owner of a throttled client id whose secret it verified recently', async () => {
    const owner = await app.client('owner', ['events:produce']);
    expect((await tokenRequest(owner.client.clientId, owner.clientSecret)).status).toBe(200);
    for (let i = 0; i < MAX_PER_CLIENT + 3; i++) {
      await tokenRequest(owner.client.clientId, `ehs_guess_${i}`);
    }
    expect((await tokenRequest(owner.client.clientId, 'ehs_guess_again')).status).toBe(429);

    scryptChecks.mockClear();
    const answer = await tokenRequest(owner.client.clientId, owner.clientSecret);
    expect(answer.status).toBe(200);
    expect(scryptChecks).not.toHaveBeenCalled();
  });

  it('throttles an address spraying client ids, and no other address', async () => {
    const sprayer = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await tokenRequest(`ehc_unknown_${i}`, 'ehs_x', sprayer)).status);
    }
    expect(statuses.slice(0, MAX_PER_ADDRESS)).toEqual(Array(MAX_PER_ADDRESS).fill(400));
    expect(new Set(statuses.slice(MAX_PER_ADDRESS))).toEqual(new Set([429]));
    expect(scryptChecks).toHaveBeenCalledTimes(MAX_PER_ADDRESS);

    const newcomer = await app.client('newcomer', ['events:consume']);
    expect((await tokenRequest(newcomer.client.clientId, newcomer.clientSecret)).status).toBe(200);
  });

  it('refuses a recently verified secret at once after a rotation', async () => {
    const rotated: IssuedClientSecret = await app.client('rotated', ['events:produce']);
    expect((await tokenRequest(rotated.client.clientId, rotated.clientSecret)).status).toBe(200);
    const fresh = await app.clients.rotate(rotated.client.tenantId, rotated.client.clientId);
    expect((await tokenRequest(rotated.client.clientId, rotated.clientSecret)).status).toBe(400);
    expect((await tokenRequest(rotated.client.clientId, fresh.clientSecret)).status).toBe(200);
  });

  it('answers valid requests promptly while 200 wrong secrets arrive from one address', async () => {
    const valid = await app.client('busy', ['events:produce']);
    const target = await app.client('target', ['events:produce']);
    expect((await tokenRequest(valid.client.clientId, valid.clientSecret)).status).toBe(200);
    scryptChecks.mockClear();

    const attacker = '192.0.2.66';
    const attack = Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        tokenRequest(target.client.clientId, `ehs_wrong_${i}`, attacker),
      ),
    );
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const answer = await tokenRequest(valid.client.clientId, valid.clientSecret);
      latencies.push(performance.now() - started);
      expect(answer.status).toBe(200);
    }
    const attackStatuses = (await attack).map((a) => a.status);

    expect(attackStatuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(
      200 - MAX_PER_CLIENT,
    );
    expect(scryptChecks.mock.calls.length).toBeLessThanOrEqual(MAX_PER_CLIENT);
    const worst = Math.max(...latencies);
    process.stdout.write(
      `valid token requests during the attack: max ${worst.toFixed(0)} ms, ` +
        `median ${[...latencies].sort((a, b) => a - b)[5]?.toFixed(0)} ms; ` +
        `scrypt checks ${scryptChecks.mock.calls.length}\n`,
    );
    expect(worst).toBeLessThan(1000);
  });
});

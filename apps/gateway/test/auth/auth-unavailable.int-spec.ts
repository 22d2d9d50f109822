import { createTestDatabase, TcpProxy, waitFor, type TestDatabase } from '@event-hub/testing';
import { AuthTestApp, testSigningKey } from '../support/auth-test-app';

describe('authentication while Postgres is unreachable', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: AuthTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('auth_down');
    const target = new URL(db.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    app = await AuthTestApp.start({
      DATABASE_URL: viaProxy.toString(),
      AUTH_JWT_PRIVATE_KEY: testSigningKey(),
      AUTH_CLIENT_CACHE_TTL_MS: '200',
    });
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('keeps serving clients it checked recently, answers 503 for the others, and recovers', async () => {
    const known = await app.client('acme', ['events:produce'], 'known');
    const unseen = await app.client('acme', ['events:produce'], 'unseen');
    const knownToken = await app.tokenFor(known);
    const unseenToken = await app.tokenFor(unseen);
    expect((await app.get('/probe/produce', knownToken)).statusCode).toBe(200);

    proxy.cut();
    try {
      // Past the TTL, the last known state stands in while Postgres cannot be asked.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await app.get('/probe/produce', knownToken)).statusCode).toBe(200);

      const unchecked = await app.get('/probe/produce', unseenToken);
      expect(unchecked.statusCode).toBe(503);
      expect(unchecked.headers['retry-after']).toBe('5');
      expect(unchecked.json()).toMatchObject({ code: 'AUTH.UNAVAILABLE' });

      const token = await app.requestToken({
        grant_type: 'client_credentials',
        client_id: known.client.clientId,
        client_secret: known.clientSecret,
      });
      expect(token.status).toBe(503);
      expect(token.body).toMatchObject({ code: 'AUTH.UNAVAILABLE' });
    } finally {
      proxy.restore();
    }

    await waitFor(async () => (await app.get('/probe/produce', unseenToken)).statusCode === 200, {
      timeoutMs: 20000,
      what: 'token checks to work again once Postgres is back',
    });
  });
});

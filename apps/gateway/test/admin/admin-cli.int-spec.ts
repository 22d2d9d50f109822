import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, waitFor, type TestDatabase } from '@event-hub/testing';
import { AuthTestApp, testSigningKey } from '../support/auth-test-app';

const run = promisify(execFile);
const REPO_ROOT = resolve(__dirname, '../../../..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('admin CLI (tools/admin/cli.ts)', () => {
  let db: TestDatabase;
  let app: AuthTestApp | undefined;

  /** Runs the CLI as an operator would, against the test database. */
  async function cli(...args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['-r', '@swc-node/register', 'tools/admin/cli.ts', ...args],
        {
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            DATABASE_URL: db.url,
            SWC_NODE_PROJECT: 'tools/bench/tsconfig.json',
          },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  async function cliJson<T>(...args: string[]): Promise<T> {
    const result = await cli(...args, '--json');
    if (result.code !== 0) throw new Error(`CLI ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  const basic = (id: string, secret: string): string =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  beforeAll(async () => {
    db = await createTestDatabase('auth_cli');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('bootstrap-admin on an empty database, then a token, then the admin routes', async () => {
    const admin = await cliJson<{
      clientId: string;
      clientSecret: string;
      tenantId: string;
      scopes: string[];
    }>('bootstrap-admin');
    expect(admin).toMatchObject({
      tenantId: 'platform',
      scopes: [
        'events:produce',
        'events:consume',
        'topics:admin',
        'schemas:write',
        'billing:read',
        'logs:read',
        'admin',
      ],
      clientSecret: expect.stringMatching(/^ehs_/),
    });

    // The gateway starts on the database the CLI migrated (one shared migrations table).
    app = await AuthTestApp.start({
      DATABASE_URL: db.url,
      AUTH_JWT_PRIVATE_KEY: testSigningKey(),
      AUTH_CLIENT_CACHE_TTL_MS: '300',
    });
    const token = await app.requestToken(
      { grant_type: 'client_credentials', scope: 'admin' },
      { authorization: basic(admin.clientId, admin.clientSecret) },
    );
    expect(token.status).toBe(200);
    const tenants = await app.inject({
      method: 'GET',
      url: '/admin/tenants',
      headers: { authorization: `Bearer ${String(token.body['access_token'])}` },
    });
    expect(tenants.statusCode).toBe(200);
    expect(tenants.json().items).toEqual([expect.objectContaining({ id: 'platform' })]);
  });

  it('manages tenants and clients, and a revocation reaches the running gateway', async () => {
    if (!app) throw new Error('needs the app of the previous test');
    const tenant = await cliJson<{ id: string }>('create-tenant', 'acme', '--name', 'ACME Corp');
    expect(tenant.id).toBe('acme');
    const client = await cliJson<{ clientId: string; clientSecret: string }>(
      'create-client',
      'acme',
      '--name',
      'orders',
      '--scopes',
      'events:produce,events:consume',
    );
    const token = await app.tokenForCredentials(client.clientId, client.clientSecret);
    expect((await app.get('/probe/produce', token)).statusCode).toBe(200);

    const listed = await cliJson<{ clientId: string; status: string }[]>('list-clients', 'acme');
    expect(listed).toEqual([
      expect.objectContaining({ clientId: client.clientId, status: 'active' }),
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/secret|scrypt/i);

    const revoked = await cli('revoke-client', 'acme', client.clientId);
    expect(revoked.code).toBe(0);
    await waitFor(async () => (await app?.get('/probe/produce', token))?.statusCode === 401, {
      timeoutMs: 10000,
      what: 'the gateway to refuse the token of the client revoked by the CLI',
    });
  });

  it('reports admin errors with their code and a non-zero exit, and usage errors with the usage', async () => {
    const duplicate = await cli('create-tenant', 'acme', '--name', 'Again');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('TENANT.ALREADY_EXISTS');
    const missing = await cli(
      'create-client',
      'nobody',
      '--name',
      'x',
      '--scopes',
      'events:produce',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('TENANT.NOT_FOUND');
    const usage = await cli('create-client', 'acme', '--name', 'x');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('needs --scopes');
  });
});

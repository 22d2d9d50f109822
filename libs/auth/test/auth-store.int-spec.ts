import { DataSource } from 'typeorm';
import { runMigrationsExclusively } from '@event-hub/persistence';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import { AUTH_ENTITIES, AUTH_MIGRATIONS } from '../src/auth-data';
import { ApiClientsService } from '../src/clients/api-clients.service';
import { ClientRevokedError, InvalidScopesError, TenantNotFoundError } from '../src/errors';
import { SecretHasher } from '../src/secrets/secret-hasher';
import { TenantsService } from '../src/tenants/tenants.service';

describe('tenants and API clients in Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let tenants: TenantsService;
  let clients: ApiClientsService;
  const changed: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('auth_store');
    dataSource = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: AUTH_ENTITIES,
      migrations: AUTH_MIGRATIONS,
      migrationsTableName: 'gateway_migrations',
    }).initialize();
    await runMigrationsExclusively(dataSource);
    tenants = new TenantsService(dataSource);
    clients = new ApiClientsService(dataSource, {
      platformTenantId: 'platform',
      // Cheaper than production's N=2^15, same code path.
      hasher: new SecretHasher({ logN: 12, r: 8, p: 1 }),
      onClientChanged: (id) => changed.push(id),
    });
    await tenants.create({ id: 'acme', name: 'ACME' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('keeps only a salted scrypt hash of the secret', async () => {
    const { client, clientSecret } = await clients.create('acme', {
      name: 'a',
      scopes: ['events:produce'],
    });
    const [row] = await dataSource.query(
      'SELECT secret_hash FROM api_clients WHERE client_id = $1',
      [client.clientId],
    );
    expect(row.secret_hash).toMatch(/^\$scrypt\$ln=12,r=8,p=1\$/);
    expect(row.secret_hash).not.toContain(clientSecret);
    expect(row.secret_hash).not.toContain(clientSecret.slice(4));
  });

  it('authenticates the right secret only, and says why otherwise', async () => {
    const { client, clientSecret } = await clients.create('acme', {
      name: 'b',
      scopes: ['events:consume'],
    });
    expect(await clients.authenticate(client.clientId, clientSecret)).toMatchObject({
      ok: true,
      client: { clientId: client.clientId },
    });
    expect(await clients.authenticate(client.clientId, 'ehs_wrong')).toEqual({
      ok: false,
      reason: 'wrong_secret',
    });
    expect(await clients.authenticate('ehc_unknown', clientSecret)).toEqual({
      ok: false,
      reason: 'unknown_client',
    });
    expect(await clients.authenticate('not a client id!', clientSecret)).toEqual({
      ok: false,
      reason: 'unknown_client',
    });
  });

  it('reports the state token checks need, and announces every change', async () => {
    const { client } = await clients.create('acme', { name: 'c', scopes: ['events:consume'] });
    expect(await clients.status(client.clientId)).toEqual({
      tenantId: 'acme',
      revoked: false,
      tenantDisabled: false,
      tokensValidAfterSeconds: 0,
    });
    const before = Math.floor(Date.now() / 1000);
    await clients.rotate('acme', client.clientId, { revokeIssuedTokens: true });
    const status = await clients.status(client.clientId);
    expect(status?.tokensValidAfterSeconds).toBeGreaterThanOrEqual(before);
    await clients.revoke('acme', client.clientId);
    expect((await clients.status(client.clientId))?.revoked).toBe(true);
    expect(changed.filter((id) => id === client.clientId)).toHaveLength(2);
    expect(await clients.status('ehc_nobody')).toBeUndefined();
  });

  it('never rotates a revoked client back to life', async () => {
    const { client } = await clients.create('acme', { name: 'd', scopes: ['events:consume'] });
    await clients.revoke('acme', client.clientId);
    await expect(clients.rotate('acme', client.clientId)).rejects.toBeInstanceOf(
      ClientRevokedError,
    );
    const [first, second] = await Promise.all([
      clients.revoke('acme', client.clientId),
      clients.revoke('acme', client.clientId),
    ]);
    expect(first.revokedAt).toEqual(second.revokedAt);
  });

  it('reserves the admin scope to the platform tenant and checks the tenant exists', async () => {
    await expect(clients.create('acme', { name: 'e', scopes: ['admin'] })).rejects.toBeInstanceOf(
      InvalidScopesError,
    );
    await expect(
      clients.create('ghost', { name: 'e', scopes: ['events:produce'] }),
    ).rejects.toBeInstanceOf(TenantNotFoundError);
  });

  it('enforces the tenant id format and the client-tenant link in the schema itself', async () => {
    await expect(
      dataSource.query(`INSERT INTO tenants (id, name) VALUES ('Not_A_Slug', 'x')`),
    ).rejects.toThrow(/tenants_id_check/);
    await expect(
      dataSource.query(
        `INSERT INTO api_clients (client_id, tenant_id, name, scopes, secret_hash) VALUES ('x', 'ghost', 'x', '{}', 'h')`,
      ),
    ).rejects.toThrow(/foreign key/);
  });
});

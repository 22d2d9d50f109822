import { SCOPES } from '@event-hub/auth';
import { createTestDatabase, uniqueTenantId, type TestDatabase } from '@event-hub/testing';
import {
  PaymentEntity,
  PreferencesEntity,
  SubscriptionEntity,
  USER_DATA_ENTITIES,
  USER_DATA_MIGRATIONS,
  UserEntity,
} from '@event-hub/user-data';
import { DataSource } from 'typeorm';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  json,
  TestGateway,
  type GatewayTopics,
} from './support/gateway-harness';

const ANA = '11111111-1111-4111-8111-111111111111';
const BIA = '22222222-2222-4222-8222-222222222222';
const CAIO = '33333333-3333-4333-8333-333333333333';
const SUBSCRIPTION = '44444444-4444-4444-8444-444444444444';

describe('user queries against the real Postgres', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let writer: DataSource;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_queries'),
      createGatewayTopics('gateway-queries'),
    ]);
    // The processor owns these tables; here the test plays the processor and writes the rows.
    writer = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: USER_DATA_ENTITIES,
      migrations: USER_DATA_MIGRATIONS,
      migrationsTableName: 'processor_migrations',
    }).initialize();
    await writer.runMigrations();
    gateway = await TestGateway.start(TestGateway.env(db.url, topics));
    // The users belong to the tenant the gateway's requests act as.
    const tenantId = (await gateway.caller()).tenantId;
    await writer.getRepository(UserEntity).insert([
      {
        id: ANA,
        tenantId,
        name: 'Ana Souza',
        email: 'Ana.Souza@Example.com',
        document: '52998224725',
        createdAt: new Date('2025-01-01T10:00:00Z'),
      },
      {
        id: BIA,
        tenantId,
        name: 'Bia Lima',
        email: 'bia@example.com',
        document: '12345678909',
        createdAt: new Date('2025-01-02T10:00:00Z'),
      },
      {
        id: CAIO,
        tenantId,
        name: 'Caio Reis',
        email: 'caio@example.com',
        document: '11144477735',
        createdAt: new Date('2025-01-03T10:00:00Z'),
      },
    ]);
    await writer.getRepository(SubscriptionEntity).insert({
      id: SUBSCRIPTION,
      userId: ANA,
      plan: 'premium',
      billingCycle: 'monthly',
      startDate: '2025-01-15',
      status: 'active',
    });
    await writer.getRepository(PaymentEntity).insert([
      {
        id: '55555555-5555-4555-8555-555555555555',
        userId: ANA,
        subscriptionId: SUBSCRIPTION,
        amount: '149.90',
        currency: 'BRL',
        method: 'pix',
        createdAt: new Date('2025-01-15T10:00:00Z'),
      },
      {
        id: '66666666-6666-4666-8666-666666666666',
        userId: ANA,
        subscriptionId: null,
        amount: '999999999999.99',
        currency: 'USD',
        method: 'credit_card',
        createdAt: new Date('2025-01-16T10:00:00Z'),
      },
    ]);
    await writer
      .getRepository(PreferencesEntity)
      .insert({ userId: ANA, settings: { theme: 'dark', notifications: { email: true } } });
  });

  afterAll(async () => {
    await gateway?.close();
    await writer?.destroy();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  it('returns a user with subscriptions, payments (amounts as exact strings) and preferences', async () => {
    const response = await gateway.get(`/users/${ANA}`);
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      id: ANA,
      name: 'Ana Souza',
      email: 'Ana.Souza@Example.com',
      document: '52998224725',
      createdAt: '2025-01-01T10:00:00.000Z',
      updatedAt: expect.any(String),
      subscriptions: [
        {
          id: SUBSCRIPTION,
          plan: 'premium',
          billingCycle: 'monthly',
          startDate: '2025-01-15',
          status: 'active',
          createdAt: expect.any(String),
        },
      ],
      payments: [
        {
          id: '66666666-6666-4666-8666-666666666666',
          amount: '999999999999.99',
          currency: 'USD',
          method: 'credit_card',
          subscriptionId: null,
          createdAt: '2025-01-16T10:00:00.000Z',
        },
        {
          id: '55555555-5555-4555-8555-555555555555',
          amount: '149.90',
          currency: 'BRL',
          method: 'pix',
          subscriptionId: SUBSCRIPTION,
          createdAt: '2025-01-15T10:00:00.000Z',
        },
      ],
      preferences: {
        settings: { theme: 'dark', notifications: { email: true } },
        updatedAt: expect.any(String),
      },
    });
  });

  it('returns a user without subscriptions, payments or preferences as empty', async () => {
    expect(json(await gateway.get(`/users/${BIA}`))).toMatchObject({
      id: BIA,
      subscriptions: [],
      payments: [],
      preferences: null,
    });
  });

  it('answers 404 for an unknown user and 400 for an id that is not a UUID', async () => {
    const missing = await gateway.get('/users/99999999-9999-4999-8999-999999999999');
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toMatchObject({ code: 'USER.NOT_FOUND' });
    const malformed = await gateway.get('/users/42');
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed)).toMatchObject({
      errors: [{ field: 'params.id', message: 'id must be a UUID' }],
    });
  });

  it('lists users a page at a time, oldest first', async () => {
    expect(json(await gateway.get('/users?page=1&pageSize=2'))).toEqual({
      items: [expect.objectContaining({ id: ANA }), expect.objectContaining({ id: BIA })],
      page: 1,
      pageSize: 2,
      total: 3,
    });
    expect(json(await gateway.get('/users?page=2&pageSize=2'))).toEqual({
      items: [
        expect.objectContaining({
          id: CAIO,
          name: 'Caio Reis',
          email: 'caio@example.com',
          document: '11144477735',
        }),
      ],
      page: 2,
      pageSize: 2,
      total: 3,
    });
    expect(json(await gateway.get('/users'))).toMatchObject({ page: 1, pageSize: 20, total: 3 });
  });

  it('finds a user by email regardless of case', async () => {
    expect(json(await gateway.get('/users?email=ana.souza@example.COM'))).toEqual({
      items: [expect.objectContaining({ id: ANA })],
      page: 1,
      pageSize: 20,
      total: 1,
    });
    expect(json(await gateway.get('/users?email=nobody@example.com'))).toEqual({
      items: [],
      page: 1,
      pageSize: 20,
      total: 0,
    });
  });

  it('answers 400 naming each bad query parameter', async () => {
    const response = await gateway.get('/users?page=0&pageSize=101&email=nope&sort=name');
    expect(response.statusCode).toBe(400);
    const fields = json<{ errors: { field: string }[] }>(response).errors.map((e) => e.field);
    expect([...new Set(fields)].sort()).toEqual([
      'query.email',
      'query.page',
      'query.pageSize',
      'query.sort',
    ]);
  });

  it('shows another tenant none of these users: unknown by id, absent from lists', async () => {
    const other = await gateway.bearer(uniqueTenantId('other'), [SCOPES.eventsConsume]);
    expect((await gateway.get(`/users/${ANA}`, other.headers)).statusCode).toBe(404);
    const list = await gateway.get('/users', other.headers);
    expect(json(list)).toMatchObject({ items: [], total: 0 });
    const byEmail = await gateway.get('/users?email=bia@example.com', other.headers);
    expect(json(byEmail)).toMatchObject({ items: [], total: 0 });
  });
});

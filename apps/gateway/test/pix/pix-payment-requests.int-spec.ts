import { randomUUID } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import type { GatewayEnvironment } from '../../src/config/gateway.environment';
import {
  PixPaymentRequests,
  type PaymentRequestToRemember,
} from '../../src/pix/payments/pix-payment-requests';
import { PIX_MIGRATIONS } from '../../src/pix/pix.data';

const config = {
  get: () => 6,
} as unknown as ConfigService<GatewayEnvironment, true>;

describe('PixPaymentRequests (the payment requests’ Idempotency-Keys, on Postgres)', () => {
  let db: TestDatabase;
  let data: DataSource;
  let requests: PixPaymentRequests;
  const tenant = 'pix-requests-a';
  const payer = randomUUID();
  const otherTenantsAccount = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('gateway_pix_requests');
    data = await new DataSource({
      type: 'postgres',
      url: db.url,
      migrations: PIX_MIGRATIONS,
      migrationsTableName: 'gateway_migrations',
    }).initialize();
    await data.runMigrations();
    // The processor's `accounts` as far as the gateway reads it.
    await data.query('CREATE TABLE accounts (id uuid PRIMARY KEY, tenant_id varchar(63) NOT NULL)');
    await data.query('INSERT INTO accounts (id, tenant_id) VALUES ($1, $2), ($3, $4)', [
      payer,
      tenant,
      otherTenantsAccount,
      'pix-requests-b',
    ]);
    requests = new PixPaymentRequests(data, config);
  });

  afterAll(async () => {
    await data?.destroy();
    await db?.drop();
  });

  function request(overrides: Partial<PaymentRequestToRemember> = {}): PaymentRequestToRemember {
    return {
      tenantId: tenant,
      clientId: 'client-1',
      idempotencyKey: randomUUID(),
      requestHash: 'a'.repeat(64),
      paymentId: randomUUID(),
      endToEndId: `E12345678202612061405${randomUUID().replace(/-/g, '').slice(0, 11)}`,
      payerAccountId: payer,
      ...overrides,
    };
  }

  async function rowsOfKey(key: string): Promise<number> {
    const [row] = (await data.query(
      'SELECT count(*)::int AS n FROM pix_payment_requests WHERE idempotency_key = $1',
      [key],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  /** The answer to a request whose key `first` claimed: the first request's fingerprint and ids. */
  const knownAs = (first: PaymentRequestToRemember) => ({
    kind: 'known',
    requestHash: first.requestHash,
    paymentId: first.paymentId,
    endToEndId: first.endToEndId,
  });

  it('claims a new key for the request and answers what the first request got for a used one', async () => {
    const first = request();
    expect(await requests.remember(first)).toEqual({ kind: 'new' });

    const retry = request({ idempotencyKey: first.idempotencyKey, requestHash: 'b'.repeat(64) });
    expect(await requests.remember(retry)).toEqual(knownAs(first));
    expect(await rowsOfKey(first.idempotencyKey)).toBe(1);
  });

  it('writes nothing for a payer that is not an account of the caller’s tenant', async () => {
    const stranger = request({ payerAccountId: otherTenantsAccount });
    const missing = request({ payerAccountId: randomUUID() });
    const [a, b] = await Promise.all([requests.remember(stranger), requests.remember(missing)]);
    expect(a).toEqual({ kind: 'unknown-payer' });
    expect(b).toEqual({ kind: 'unknown-payer' });
    expect(await rowsOfKey(stranger.idempotencyKey)).toBe(0);
    expect(await rowsOfKey(missing.idempotencyKey)).toBe(0);
  });

  it('gives concurrent requests of one key one claim: the others see the winner’s ids', async () => {
    const key = randomUUID();
    const attempts = Array.from({ length: 20 }, () => request({ idempotencyKey: key }));
    const answers = await Promise.all(attempts.map((a) => requests.remember(a)));

    const winners = answers.flatMap((answer, i) => (answer.kind === 'new' ? [attempts[i]] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0] as PaymentRequestToRemember;
    for (const answer of answers.filter((a) => a.kind !== 'new')) {
      expect(answer).toEqual(knownAs(winner));
    }
    expect(await rowsOfKey(key)).toBe(1);
  });

  it('answers a key claimed by a transaction still open when the statement ran with that claim, once committed', async () => {
    const other = request();
    const runner = data.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(
      `INSERT INTO pix_payment_requests
         (tenant_id, client_id, idempotency_key, request_hash, payment_id, end_to_end_id, payer_account_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        other.tenantId,
        other.clientId,
        other.idempotencyKey,
        other.requestHash,
        other.paymentId,
        other.endToEndId,
        other.payerAccountId,
      ],
    );
    // Blocks on the uncommitted row; its snapshot cannot see the row once it is committed.
    const answer = requests.remember(request({ idempotencyKey: other.idempotencyKey }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await runner.commitTransaction();
    await runner.release();

    expect(await answer).toEqual(knownAs(other));
    expect(await rowsOfKey(other.idempotencyKey)).toBe(1);
  });

  it('keeps keys per tenant and client, and answers each request of a shared batch its own', async () => {
    const key = randomUUID();
    const batch = [
      request({ idempotencyKey: key }),
      request({ idempotencyKey: key, clientId: 'client-2' }),
      request(),
      request({ payerAccountId: otherTenantsAccount }),
    ];
    const answers = await Promise.all(batch.map((r) => requests.remember(r)));
    expect(answers.map((a) => a.kind)).toEqual(['new', 'new', 'new', 'unknown-payer']);
    expect(await rowsOfKey(key)).toBe(2);
  });
});

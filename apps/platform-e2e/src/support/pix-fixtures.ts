import { randomUUID } from 'node:crypto';
import { SCOPES } from '@event-hub/auth';
import { PIX_TOPICS } from '@event-hub/contracts';
import { bootstrapAdmin, createTestTopics, deleteTestTopics, randomCpf } from '@event-hub/testing';
import { createHubTopics, hubGatewayEnv, hubProcessorEnv, hubTopics } from './hub-apps';
import { callAs, queryDatabase } from './platform-calls';
import { createTenantCaller, tokenFor, type TenantCaller } from './platform-clients';

export interface PixAccountFixture {
  account: string;
  email: string;
}

/** An account holder of the tenant: a fresh account id and e-mail PIX key. */
export const pixAccountFixture = (label: string): PixAccountFixture => ({
  account: randomUUID(),
  email: `${label}-${randomUUID()}@example.com`,
});

/**
 * Opens an account with its balance and e-mail PIX key, written straight into the processor's
 * tables: the fixtures of the payment specs, which test payments rather than account opening.
 */
export async function openPixAccount(
  databaseUrl: string,
  tenantId: string,
  { account, email }: PixAccountFixture,
  balance: string,
): Promise<void> {
  const userId = randomUUID();
  await queryDatabase(
    databaseUrl,
    `INSERT INTO users (id, tenant_id, name, email, document) VALUES ($1, $2, 'PIX e2e', $3, $4)`,
    [userId, tenantId, email, randomCpf()],
  );
  await queryDatabase(
    databaseUrl,
    'INSERT INTO accounts (id, tenant_id, user_id, balance) VALUES ($1, $2, $3, $4::numeric)',
    [account, tenantId, userId, balance],
  );
  await queryDatabase(
    databaseUrl,
    `INSERT INTO pix_keys (tenant_id, type, value, account_id) VALUES ($1, 'EMAIL', $2, $3)`,
    [tenantId, email, account],
  );
}

/** One run's Kafka names: the tenant hub's topics and the PIX topics under the run's prefix. */
export function pixRunNames(run: string) {
  const prefix = `${run}.`;
  return {
    run,
    topics: hubTopics(run),
    prefix,
    pixTopics: PIX_TOPICS.map((name) => `${prefix}${name}`),
  };
}

export type PixRunNames = ReturnType<typeof pixRunNames>;

export async function createPixRunTopics({ topics, pixTopics }: PixRunNames): Promise<void> {
  await createHubTopics(topics);
  await createTestTopics(pixTopics, 3);
}

export async function deletePixRunTopics({ topics, pixTopics }: PixRunNames): Promise<void> {
  await deleteTestTopics([...Object.values(topics), ...pixTopics]);
}

/** A processor of the run, notifying through the RabbitMQ at `rabbitUrl`. */
export const pixProcessorEnv = (databaseUrl: string, names: PixRunNames, rabbitUrl: string) => ({
  ...hubProcessorEnv(databaseUrl, names.run, names.topics),
  PIX_TOPIC_PREFIX: names.prefix,
  RABBITMQ_URL: rabbitUrl,
});

export const pixGatewayEnv = (databaseUrl: string, names: PixRunNames) => ({
  ...hubGatewayEnv(databaseUrl, names.run, names.topics),
  PIX_TOPIC_PREFIX: names.prefix,
});

/** The platform admin's token and a client of the run's own tenant that may request payments. */
export async function pixTenant(
  gatewayUrl: string,
  databaseUrl: string,
  run: string,
): Promise<{ adminToken: string; caller: TenantCaller }> {
  const adminToken = await tokenFor(gatewayUrl, await bootstrapAdmin(databaseUrl));
  const caller = await createTenantCaller(gatewayUrl, adminToken, run.replace(/\./g, '-'), [
    SCOPES.eventsProduce,
  ]);
  return { adminToken, caller };
}

/** `POST /pix/payments` from `payer` to `receiver`'s e-mail key. */
export const requestPayment = (
  gatewayUrl: string,
  caller: TenantCaller,
  payment: { payer: PixAccountFixture; receiver: PixAccountFixture; amount: string },
  idempotencyKey: string,
  description = 'e2e',
) =>
  callAs<{ paymentId: string; endToEndId: string; statusUrl: string }>(
    gatewayUrl,
    caller,
    'POST',
    '/pix/payments',
    {
      payerAccountId: payment.payer.account,
      receiverKey: { type: 'EMAIL', value: payment.receiver.email },
      amount: payment.amount,
      description,
    },
    { 'idempotency-key': idempotencyKey },
  );

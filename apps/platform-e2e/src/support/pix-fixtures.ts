import { randomUUID } from 'node:crypto';
import { randomCpf } from '@event-hub/testing';
import { queryDatabase } from './platform-calls';

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

/**
 * The record of `account_balances` (compacted, seed 003): the latest balance of one account.
 * Produced by the processor from the same transactional outbox as the change that caused it
 * (PIX settlement, deposit, operator adjustment), so the topic never disagrees with Postgres;
 * read by the gateway's materialized balance view.
 *
 * Kafka key: the account id (UTF-8). Value: this object as JSON. A tombstone (null value) removes a
 * closed account. Readers keep, per account, the record with the highest `version`: a redelivered or
 * reordered older version never overwrites a newer one.
 */
export interface AccountBalanceRecord {
  accountId: string;
  tenantId: string;
  /** Exact decimal string with two fraction digits (`numeric(18,2)` in Postgres), never a float. */
  balance: string;
  /** Monotonic per account: Postgres increments it in the same transaction as the balance. */
  version: number;
  /** ISO-8601 instant of the change in Postgres. */
  updatedAt: string;
}

/** Kafka header naming the tenant of a balance record (also set on tombstones). */
export const ACCOUNT_BALANCE_TENANT_HEADER = 'tenant-id';

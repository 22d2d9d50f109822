import { ACCOUNT_BALANCE_TENANT_HEADER, type AccountBalanceRecord } from '@event-hub/contracts';
import type { IHeaders } from 'kafkajs';

/** What one record of `account_balances` means to the view. */
export type BalanceChange =
  | { kind: 'upsert'; balance: AccountBalanceRecord }
  | { kind: 'tombstone'; accountId: string }
  | { kind: 'invalid'; reason: string };

const DECIMAL = /^-?(?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,2})?$/;
const MAX_ID_LENGTH = 200;

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * Decodes one record against the contract (key = account id, JSON value, `tenant-id` header, null
 * value = closed account). A record the view cannot trust is `invalid` with the reason, never
 * half-applied: the view skips it and counts it.
 */
export function decodeBalanceRecord(
  key: Buffer | null,
  value: Buffer | null,
  headers: IHeaders | undefined,
): BalanceChange {
  const accountId = key?.toString('utf8') ?? '';
  if (accountId.length === 0 || accountId.length > MAX_ID_LENGTH) {
    return { kind: 'invalid', reason: 'key must be an account id (1-200 characters)' };
  }
  if (value === null) return { kind: 'tombstone', accountId };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { kind: 'invalid', reason: 'value is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { kind: 'invalid', reason: 'value is not an object' };
  }
  const record = parsed as Record<string, unknown>;
  if (record['accountId'] !== accountId) {
    return { kind: 'invalid', reason: 'accountId differs from the key' };
  }
  const tenantId = record['tenantId'];
  if (typeof tenantId !== 'string' || tenantId.length === 0 || tenantId.length > MAX_ID_LENGTH) {
    return { kind: 'invalid', reason: 'tenantId must be a non-empty string' };
  }
  const header = headerText(headers, ACCOUNT_BALANCE_TENANT_HEADER);
  if (header !== undefined && header !== tenantId) {
    return {
      kind: 'invalid',
      reason: `${ACCOUNT_BALANCE_TENANT_HEADER} header differs from tenantId`,
    };
  }
  const balance = record['balance'];
  if (typeof balance !== 'string' || !DECIMAL.test(balance)) {
    return { kind: 'invalid', reason: 'balance must be a decimal string such as 150.00' };
  }
  const version = record['version'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    return { kind: 'invalid', reason: 'version must be a non-negative integer' };
  }
  const updatedAt = record['updatedAt'];
  if (typeof updatedAt !== 'string' || Number.isNaN(Date.parse(updatedAt))) {
    return { kind: 'invalid', reason: 'updatedAt must be an ISO-8601 instant' };
  }
  return { kind: 'upsert', balance: { accountId, tenantId, balance, version, updatedAt } };
}

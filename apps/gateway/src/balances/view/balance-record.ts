import { ACCOUNT_BALANCE_TENANT_HEADER, type AccountBalanceRecord } from '@event-hub/contracts';
import type { IHeaders } from 'kafkajs';

/** What one record of `account_balances` means to the view. */
export type BalanceChange =
  | { kind: 'upsert'; balance: AccountBalanceRecord }
  | { kind: 'tombstone'; accountId: string }
  | { kind: 'invalid'; reason: string };

const DECIMAL = /^-?(?:0|[1-9][0-9]{0,15})(?:\.[0-9]{1,2})?$/;
const MAX_ID_LENGTH = 200;

/**
 * The tenant of the previous record, kept so that a rebuild (a million records of a handful of
 * tenants) holds one string per tenant instead of one per account, and compares the header's bytes
 * instead of decoding them for every record.
 */
let lastTenant = { id: '', header: Buffer.alloc(0) };

/** Whether the record's tenant header, if any, names `tenantId`. */
function headerMatches(headers: IHeaders | undefined, tenantId: string): boolean {
  const value = headers?.[ACCOUNT_BALANCE_TENANT_HEADER];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return true;
  if (typeof first === 'string') return first === tenantId;
  return tenantId === lastTenant.id
    ? first.equals(lastTenant.header)
    : first.toString() === tenantId;
}

/** The same tenant id as the previous record's, shared rather than held once per account. */
function sharedTenant(tenantId: string): string {
  if (tenantId === lastTenant.id) return lastTenant.id;
  lastTenant = { id: tenantId, header: Buffer.from(tenantId, 'utf8') };
  return tenantId;
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
  if (!headerMatches(headers, tenantId)) {
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
  return {
    kind: 'upsert',
    balance: { accountId, tenantId: sharedTenant(tenantId), balance, version, updatedAt },
  };
}

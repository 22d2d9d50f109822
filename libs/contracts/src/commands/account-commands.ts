import type { UserCommandDataByType, UserCommandType } from './user-commands';

/**
 * Commands on PIX accounts, carried on `user_events` like the user commands and applied by the
 * processor, which owns the account tables: a balance changes in exactly one place, under the
 * same row locks as settlement, with its `account_balances` record in the same outbox. Keyed by
 * the account id, so one account's commands are applied in order.
 */
export const ACCOUNT_COMMANDS = {
  openAccount: 'accounts.open_account',
  deposit: 'accounts.deposit',
  adjustBalance: 'accounts.adjust_balance',
  closeAccount: 'accounts.close_account',
} as const;

export type AccountCommandType = (typeof ACCOUNT_COMMANDS)[keyof typeof ACCOUNT_COMMANDS];

/** PIX key types (the central bank's DICT), as libs/pix-data stores them. */
export const ACCOUNT_PIX_KEY_TYPES = ['CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP'] as const;

export interface OpenAccountData {
  /** Assigned by the gateway. */
  accountId: string;
  userId: string;
  /** In their stored form (validated and normalised by the gateway); unique per tenant. */
  keys: { type: (typeof ACCOUNT_PIX_KEY_TYPES)[number]; value: string }[];
}

/**
 * A balance change by a platform operator. The operator's token belongs to the platform tenant,
 * so the account's own tenant travels in the data (resolved by the gateway from the account). The
 * ledger entry's id is the command's event id, which a retried or redelivered command keeps, so it
 * changes the balance once.
 */
interface OperatorBalanceChange {
  accountId: string;
  accountTenantId: string;
}

export interface DepositData extends OperatorBalanceChange {
  /** Decimal string, > 0, two decimals ("150.00"). */
  amount: string;
}

export interface AdjustBalanceData extends OperatorBalanceChange {
  /** The new balance, absolute: decimal string, >= 0, two decimals. */
  balance: string;
  reason: string;
}

/**
 * Closes an account of the caller's tenant (the command's tenant): only at balance 0.00. The
 * account stays (its ledger is history) but refuses every later balance change and payment, and
 * its `account_balances` key gets a tombstone.
 */
export interface CloseAccountData {
  accountId: string;
}

export interface AccountCommandDataByType {
  'accounts.open_account': OpenAccountData;
  'accounts.deposit': DepositData;
  'accounts.adjust_balance': AdjustBalanceData;
  'accounts.close_account': CloseAccountData;
}

/** Every command type `user_events` carries. */
export type PlatformCommandType = UserCommandType | AccountCommandType;
export interface PlatformCommandDataByType
  extends UserCommandDataByType, AccountCommandDataByType {}

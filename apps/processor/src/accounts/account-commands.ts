import { Command } from '@nestjs/cqrs';
import type {
  AdjustBalanceData,
  CloseAccountData,
  DepositData,
  OpenAccountData,
} from '@event-hub/contracts';
import type { CommandMeta } from '../users/commands/command-meta';

export interface OpenAccountResult extends Record<string, unknown> {
  accountId: string;
  userId: string;
  keys: OpenAccountData['keys'];
}

/** The balance and version a deposit or adjustment produced (the account_balances record's). */
export interface BalanceChangeResult extends Record<string, unknown> {
  accountId: string;
  balance: string;
  version: number;
}

export class OpenAccountCommand extends Command<OpenAccountResult> {
  constructor(
    readonly data: OpenAccountData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class DepositCommand extends Command<BalanceChangeResult> {
  constructor(
    readonly data: DepositData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export class AdjustBalanceCommand extends Command<BalanceChangeResult> {
  constructor(
    readonly data: AdjustBalanceData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

export interface CloseAccountResult extends Record<string, unknown> {
  accountId: string;
  /** ISO-8601 instant the account was closed (the first close's, for a repeated one). */
  closedAt: string;
}

export class CloseAccountCommand extends Command<CloseAccountResult> {
  constructor(
    readonly data: CloseAccountData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

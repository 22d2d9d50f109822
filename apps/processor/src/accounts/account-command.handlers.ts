import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { findTakenPixKeys, PIX_MAX_AMOUNT } from '@event-hub/pix-data';
import { DataSource } from 'typeorm';
import { PixLedger, type BalanceChangeOutcome } from '../pix/ledger/pix-ledger';
import type { CommandMeta } from '../users/commands/command-meta';
import {
  AccountClosedError,
  AccountIdTakenError,
  AccountNotFoundError,
  BalanceNotZeroError,
  InvalidAccountAmountError,
  NegativeBalanceError,
  PixKeyTakenError,
} from './account-errors';
import { UserNotFoundError } from '../users/domain/domain-error';
import {
  AdjustBalanceCommand,
  CloseAccountCommand,
  DepositCommand,
  OpenAccountCommand,
  type BalanceChangeResult,
  type CloseAccountResult,
  type OpenAccountResult,
} from './account-commands';

/**
 * The account commands run through {@link PixLedger}, each in the ledger's own transaction (with
 * its outbox records), not in the command batch's: the ledger is what every balance change goes
 * through, settlement included. That transaction commits before the batch records the command in
 * its inbox, so a batch re-run after a failure meets the ledger's own idempotency instead (the
 * account already open with the same user, the entry id already applied) and answers the same.
 */
function actorOf(meta: CommandMeta): string {
  return meta.clientId ? `${meta.clientId}@${meta.tenantId}` : `tenant:${meta.tenantId}`;
}

/** numeric_value_out_of_range: the new balance would not fit numeric(18,2). */
function isOutOfRange(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } } | null;
  return (e?.driverError?.code ?? e?.code) === '22003';
}

function resultOf(accountId: string, outcome: BalanceChangeOutcome): BalanceChangeResult {
  if (outcome.outcome === 'unknown-account') throw new AccountNotFoundError(accountId);
  if (outcome.outcome === 'closed') throw new AccountClosedError(accountId);
  return { accountId, balance: outcome.balance, version: outcome.version };
}

const ZERO = /^-?0+\.00$/;

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand, OpenAccountResult> {
  constructor(
    private readonly ledger: PixLedger,
    private readonly db: DataSource,
  ) {}

  async execute({ data, meta }: OpenAccountCommand): Promise<OpenAccountResult> {
    const outcome = await this.ledger.openAccount({
      accountId: data.accountId,
      tenantId: meta.tenantId,
      userId: data.userId,
      keys: data.keys,
      actor: actorOf(meta),
    });
    switch (outcome) {
      case 'opened':
        break;
      case 'already-open':
        // The same command applied before its batch was re-run: answered as the first time.
        if (!(await this.ownedBy(data.accountId, meta.tenantId, data.userId))) {
          throw new AccountIdTakenError(data.accountId);
        }
        break;
      case 'unknown-user':
        throw new UserNotFoundError(data.userId);
      case 'key-taken':
        throw new PixKeyTakenError(await findTakenPixKeys(this.db, meta.tenantId, data.keys));
    }
    return { accountId: data.accountId, userId: data.userId, keys: data.keys };
  }

  private async ownedBy(accountId: string, tenantId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM accounts WHERE id = $1 AND tenant_id = $2 AND user_id = $3',
      [accountId, tenantId, userId],
    );
    return rows.length > 0;
  }
}

@CommandHandler(DepositCommand)
export class DepositHandler implements ICommandHandler<DepositCommand, BalanceChangeResult> {
  constructor(private readonly ledger: PixLedger) {}

  async execute({ data, meta }: DepositCommand): Promise<BalanceChangeResult> {
    if (data.amount.startsWith('-') || ZERO.test(data.amount)) {
      throw new InvalidAccountAmountError(`a deposit must be greater than 0: ${data.amount}`);
    }
    try {
      const outcome = await this.ledger.deposit({
        entryId: meta.eventId,
        accountId: data.accountId,
        tenantId: data.accountTenantId,
        actor: actorOf(meta),
        amount: data.amount,
      });
      return resultOf(data.accountId, outcome);
    } catch (error) {
      if (!isOutOfRange(error)) throw error;
      throw new InvalidAccountAmountError(
        `the balance would exceed ${PIX_MAX_AMOUNT} after a deposit of ${data.amount}`,
      );
    }
  }
}

@CommandHandler(AdjustBalanceCommand)
export class AdjustBalanceHandler implements ICommandHandler<
  AdjustBalanceCommand,
  BalanceChangeResult
> {
  constructor(private readonly ledger: PixLedger) {}

  async execute({ data, meta }: AdjustBalanceCommand): Promise<BalanceChangeResult> {
    if (data.balance.startsWith('-') && !ZERO.test(data.balance)) {
      throw new NegativeBalanceError(data.balance);
    }
    const outcome = await this.ledger.adjust({
      entryId: meta.eventId,
      accountId: data.accountId,
      tenantId: data.accountTenantId,
      actor: actorOf(meta),
      balance: data.balance.replace(/^-/, ''),
      reason: data.reason,
    });
    return resultOf(data.accountId, outcome);
  }
}

/**
 * Closes an account of the command's tenant at balance 0.00; see {@link PixLedger.closeAccount}.
 * A repeated close (a retried or re-run command) answers as the first one did.
 */
@CommandHandler(CloseAccountCommand)
export class CloseAccountHandler implements ICommandHandler<
  CloseAccountCommand,
  CloseAccountResult
> {
  constructor(private readonly ledger: PixLedger) {}

  async execute({ data, meta }: CloseAccountCommand): Promise<CloseAccountResult> {
    const outcome = await this.ledger.closeAccount({
      accountId: data.accountId,
      tenantId: meta.tenantId,
      actor: actorOf(meta),
    });
    switch (outcome.outcome) {
      case 'unknown-account':
        throw new AccountNotFoundError(data.accountId);
      case 'balance-not-zero':
        throw new BalanceNotZeroError(data.accountId, outcome.balance);
      case 'closed':
      case 'already-closed':
        return { accountId: data.accountId, closedAt: outcome.closedAt.toISOString() };
    }
  }
}

export const ACCOUNT_COMMAND_HANDLERS = [
  OpenAccountHandler,
  DepositHandler,
  AdjustBalanceHandler,
  CloseAccountHandler,
];

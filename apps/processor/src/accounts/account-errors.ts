import { COMMAND_ERROR_CODES } from '@event-hub/contracts';
import { DomainError } from '../users/domain/domain-error';

/** Business-rule failures of the account commands: FAILED replies with these stable codes. */
export class AccountNotFoundError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.accountNotFound;
  constructor(accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}

export class AccountIdTakenError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.accountAlreadyExists;
  constructor(accountId: string) {
    super(`account ${accountId} already exists for another user`);
  }
}

export class PixKeyTakenError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.pixKeyTaken;
  constructor(keys: { type: string; value: string }[]) {
    super(
      keys.length > 0
        ? `PIX key already registered in this tenant: ${keys.map((k) => `${k.type} ${k.value}`).join(', ')}`
        : 'a PIX key of this account is already registered in this tenant',
    );
  }
}

export class NegativeBalanceError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.negativeBalance;
  constructor(balance: string) {
    super(`a balance never goes negative: ${balance}`);
  }
}

export class InvalidAccountAmountError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.invalidAmount;
}

export class BalanceNotZeroError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.balanceNotZero;
  constructor(accountId: string, balance: string) {
    super(`account ${accountId} holds ${balance}: only an account at 0.00 is closed`);
  }
}

export class AccountClosedError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.accountClosed;
  constructor(accountId: string) {
    super(`account ${accountId} is closed`);
  }
}

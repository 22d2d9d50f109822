import { COMMAND_ERROR_CODES } from '@event-hub/contracts';

/**
 * A command broke a business rule. It is answered with a FAILED reply carrying `code`, and the
 * consumer moves on: unlike a technical error, retrying would give the same answer.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Codes the processor answers beyond the shared COMMAND_ERROR_CODES of libs/contracts. */
export const PROCESSOR_ERROR_CODES = {
  preferencesLimitsExceeded: 'PREFERENCES.LIMITS_EXCEEDED',
  subscriptionIdTaken: 'SUBSCRIPTION.ALREADY_EXISTS',
  paymentIdTaken: 'PAYMENT.ALREADY_EXISTS',
} as const;

export class UserNotFoundError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.userNotFound;
  constructor(userId: string) {
    super(`user ${userId} does not exist`);
  }
}

export class UserAlreadyExistsError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.userAlreadyExists;
  constructor(userId: string) {
    super(`user ${userId} already exists`);
  }
}

export class EmailTakenError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.emailTaken;
  constructor() {
    super('another user already has this email');
  }
}

export class DocumentTakenError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.documentTaken;
  constructor() {
    super('another user already has this document');
  }
}

export class SubscriptionAlreadyActiveError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.subscriptionAlreadyActive;
  constructor(plan: string) {
    super(`the user already has an active ${plan} subscription`);
  }
}

export class SubscriptionIdTakenError extends DomainError {
  readonly code = PROCESSOR_ERROR_CODES.subscriptionIdTaken;
  constructor(subscriptionId: string) {
    super(`subscription ${subscriptionId} already exists`);
  }
}

export class SubscriptionNotFoundError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.subscriptionNotFound;
  constructor(subscriptionId: string) {
    super(`subscription ${subscriptionId} does not exist`);
  }
}

export class PaymentSubscriptionMismatchError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.paymentSubscriptionMismatch;
  constructor(subscriptionId: string) {
    super(`subscription ${subscriptionId} belongs to another user`);
  }
}

export class InvalidPaymentAmountError extends DomainError {
  readonly code = COMMAND_ERROR_CODES.paymentInvalidAmount;
}

export class PaymentIdTakenError extends DomainError {
  readonly code = PROCESSOR_ERROR_CODES.paymentIdTaken;
  constructor(paymentId: string) {
    super(`payment ${paymentId} already exists`);
  }
}

export class PreferencesLimitsExceededError extends DomainError {
  readonly code = PROCESSOR_ERROR_CODES.preferencesLimitsExceeded;
}

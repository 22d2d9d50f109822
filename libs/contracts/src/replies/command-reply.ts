/**
 * The processor's answer to a command, published to `response_events` keyed by correlation id,
 * with the command's correlation id and `causationId` = the command's event id.
 */
export const COMMAND_REPLIES = {
  completed: 'command.completed',
  failed: 'command.failed',
} as const;

export type CommandReplyType = (typeof COMMAND_REPLIES)[keyof typeof COMMAND_REPLIES];

export type CommandStatus = 'PENDING' | 'COMPLETED' | 'FAILED';

export interface CommandError {
  /** Stable machine-readable code, e.g. `USER.NOT_FOUND`. */
  code: string;
  message: string;
}

export interface CommandCompletedData {
  status: 'COMPLETED';
  /** The command's event type, e.g. `users.create_user`. */
  command: string;
  result: Record<string, unknown>;
}

export interface CommandFailedData {
  status: 'FAILED';
  command: string;
  error: CommandError;
}

export type CommandReplyData = CommandCompletedData | CommandFailedData;

/** Business-rule and technical failure codes a FAILED reply may carry. */
export const COMMAND_ERROR_CODES = {
  userNotFound: 'USER.NOT_FOUND',
  emailTaken: 'USER.EMAIL_TAKEN',
  documentTaken: 'USER.DOCUMENT_TAKEN',
  userAlreadyExists: 'USER.ALREADY_EXISTS',
  subscriptionAlreadyActive: 'SUBSCRIPTION.ALREADY_ACTIVE',
  subscriptionNotFound: 'SUBSCRIPTION.NOT_FOUND',
  paymentInvalidAmount: 'PAYMENT.INVALID_AMOUNT',
  paymentSubscriptionMismatch: 'PAYMENT.SUBSCRIPTION_MISMATCH',
  accountNotFound: 'ACCOUNT.NOT_FOUND',
  accountAlreadyExists: 'ACCOUNT.ALREADY_EXISTS',
  pixKeyTaken: 'ACCOUNT.PIX_KEY_TAKEN',
  negativeBalance: 'ACCOUNT.NEGATIVE_BALANCE',
  invalidAmount: 'ACCOUNT.INVALID_AMOUNT',
  /** A close of an account whose balance is not 0.00: move the money out first. */
  balanceNotZero: 'ACCOUNT.BALANCE_NOT_ZERO',
  /** A deposit or adjustment of a closed account. */
  accountClosed: 'ACCOUNT.CLOSED',
  malformedCommand: 'COMMAND.MALFORMED',
  unknownCommand: 'COMMAND.UNKNOWN',
  processingFailed: 'COMMAND.PROCESSING_FAILED',
  /** Not applied and never will be: it reached the processor after its deadline, or never did. */
  notAccepted: 'COMMAND.NOT_ACCEPTED',
} as const;

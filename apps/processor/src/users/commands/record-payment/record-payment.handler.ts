import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  PaymentIdTakenError,
  PaymentSubscriptionMismatchError,
  SubscriptionNotFoundError,
  UserNotFoundError,
  type DomainError,
} from '../../domain/domain-error';
import { parsePaymentAmount } from '../../domain/payment-amount';
import { PaymentRecordedEvent } from '../../events/payment-recorded.event';
import { UsersWriteRepository } from '../../persistence/users-write.repository';
import { TransactionContext } from '../../../transactions/transaction-context';
import { RecordPaymentCommand, type RecordPaymentResult } from './record-payment.command';

/**
 * Rules: the amount is positive with at most 2 decimals and 12 integer digits; the user exists;
 * a given subscription exists and belongs to the user.
 */
@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<
  RecordPaymentCommand,
  RecordPaymentResult
> {
  constructor(
    private readonly users: UsersWriteRepository,
    private readonly tx: TransactionContext,
  ) {}

  async execute({ data, meta }: RecordPaymentCommand): Promise<RecordPaymentResult> {
    const amount = parsePaymentAmount(data.amount);
    if (!(await this.users.insertPayment(data, amount, meta.tenantId))) {
      throw await this.whyRefused(data, meta.tenantId);
    }
    this.tx
      .current()
      .raise(
        new PaymentRecordedEvent(
          data.userId,
          data.paymentId,
          amount,
          data.currency,
          data.method,
          meta,
        ),
      );
    return {
      userId: data.userId,
      paymentId: data.paymentId,
      amount,
      currency: data.currency,
      method: data.method,
      subscriptionId: data.subscriptionId ?? null,
    };
  }

  private async whyRefused(
    data: RecordPaymentCommand['data'],
    tenantId: string,
  ): Promise<DomainError> {
    if (!(await this.users.userExists(data.userId, tenantId))) {
      return new UserNotFoundError(data.userId);
    }
    if (data.subscriptionId) {
      const owner = await this.users.findSubscriptionOwner(data.subscriptionId, tenantId);
      if (owner === undefined) return new SubscriptionNotFoundError(data.subscriptionId);
      if (owner !== data.userId) return new PaymentSubscriptionMismatchError(data.subscriptionId);
    }
    if (await this.users.paymentExists(data.paymentId))
      return new PaymentIdTakenError(data.paymentId);
    throw new Error(`payment ${data.paymentId} was refused by a constraint that no longer matches`);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  SubscriptionAlreadyActiveError,
  SubscriptionIdTakenError,
  UserNotFoundError,
  type DomainError,
} from '../../domain/domain-error';
import { SubscriptionCreatedEvent } from '../../events/subscription-created.event';
import { UsersWriteRepository } from '../../persistence/users-write.repository';
import { TransactionContext } from '../../../transactions/transaction-context';
import {
  CreateSubscriptionCommand,
  type CreateSubscriptionResult,
} from './create-subscription.command';

/** Rules: the user exists, and has no active subscription on the same plan. */
@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<
  CreateSubscriptionCommand,
  CreateSubscriptionResult
> {
  constructor(
    private readonly users: UsersWriteRepository,
    private readonly tx: TransactionContext,
  ) {}

  async execute({ data, meta }: CreateSubscriptionCommand): Promise<CreateSubscriptionResult> {
    if (!(await this.users.insertActiveSubscription(data, meta.tenantId))) {
      throw await this.whyRefused(data, meta.tenantId);
    }
    this.tx
      .current()
      .raise(
        new SubscriptionCreatedEvent(
          data.userId,
          data.subscriptionId,
          data.plan,
          data.billingCycle,
          meta,
        ),
      );
    return {
      userId: data.userId,
      subscriptionId: data.subscriptionId,
      plan: data.plan,
      billingCycle: data.billingCycle,
      startDate: data.startDate,
      status: 'active',
    };
  }

  private async whyRefused(
    data: CreateSubscriptionCommand['data'],
    tenantId: string,
  ): Promise<DomainError> {
    if (!(await this.users.userExists(data.userId, tenantId))) {
      return new UserNotFoundError(data.userId);
    }
    if (await this.users.subscriptionExists(data.subscriptionId)) {
      return new SubscriptionIdTakenError(data.subscriptionId);
    }
    return new SubscriptionAlreadyActiveError(data.plan);
  }
}

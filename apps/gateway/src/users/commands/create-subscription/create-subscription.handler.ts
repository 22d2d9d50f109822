import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { USER_COMMANDS } from '@event-hub/contracts';
import {
  CommandAcceptor,
  type AcceptedCommand,
} from '../../../command-acceptance/command-acceptor';
import { acceptUserCommand } from '../../shared/accept-user-command';
import { CreateSubscriptionCommand } from './create-subscription.command';

@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<
  CreateSubscriptionCommand,
  AcceptedCommand
> {
  constructor(private readonly acceptor: CommandAcceptor) {}

  execute(command: CreateSubscriptionCommand): Promise<AcceptedCommand> {
    return acceptUserCommand(
      this.acceptor,
      USER_COMMANDS.createSubscription,
      {
        userId: command.userId,
        subscriptionId: randomUUID(),
        plan: command.plan,
        billingCycle: command.billingCycle,
        startDate: command.startDate,
      },
      command.context,
    );
  }
}

import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { USER_COMMANDS, type RecordPaymentData } from '@event-hub/contracts';
import {
  CommandAcceptor,
  type AcceptedCommand,
} from '../../../command-acceptance/command-acceptor';
import { acceptUserCommand } from '../../shared/accept-user-command';
import { RecordPaymentCommand } from './record-payment.command';

@CommandHandler(RecordPaymentCommand)
export class RecordPaymentHandler implements ICommandHandler<
  RecordPaymentCommand,
  AcceptedCommand
> {
  constructor(private readonly acceptor: CommandAcceptor) {}

  execute(command: RecordPaymentCommand): Promise<AcceptedCommand> {
    const data: RecordPaymentData = {
      userId: command.userId,
      paymentId: randomUUID(),
      amount: command.amount,
      currency: command.currency,
      method: command.method,
    };
    if (command.subscriptionId !== undefined) data.subscriptionId = command.subscriptionId;
    return acceptUserCommand(this.acceptor, USER_COMMANDS.recordPayment, data, command.context);
  }
}

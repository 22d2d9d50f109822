import { Command } from '@nestjs/cqrs';
import type { Currency, PaymentMethod } from '@event-hub/contracts';
import type { AcceptedCommand } from '../../../command-acceptance/command-acceptor';
import type { CommandContext } from '../../../command-acceptance/command-acceptor';

export class RecordPaymentCommand extends Command<AcceptedCommand> {
  constructor(
    readonly userId: string,
    /** Canonical decimal string with two decimals, e.g. "149.90". */
    readonly amount: string,
    readonly currency: Currency,
    readonly method: PaymentMethod,
    readonly subscriptionId: string | undefined,
    readonly context: CommandContext,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { BillingCycle, SubscriptionPlan } from '@event-hub/contracts';
import type { AcceptedCommand } from '../../../command-acceptance/command-acceptor';
import type { CommandContext } from '../../../command-acceptance/command-acceptor';

export class CreateSubscriptionCommand extends Command<AcceptedCommand> {
  constructor(
    readonly userId: string,
    readonly plan: SubscriptionPlan,
    readonly billingCycle: BillingCycle,
    readonly startDate: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

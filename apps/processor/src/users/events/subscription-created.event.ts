import type { BillingCycle, SubscriptionPlan } from '@event-hub/contracts';
import type { CommandMeta } from '../commands/command-meta';

export class SubscriptionCreatedEvent {
  constructor(
    readonly userId: string,
    readonly subscriptionId: string,
    readonly plan: SubscriptionPlan,
    readonly billingCycle: BillingCycle,
    readonly meta: CommandMeta,
  ) {}
}

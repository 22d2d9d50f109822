import { Command } from '@nestjs/cqrs';
import type { BillingCycle, CreateSubscriptionData, SubscriptionPlan } from '@event-hub/contracts';
import type { CommandMeta } from '../command-meta';

export interface CreateSubscriptionResult extends Record<string, unknown> {
  userId: string;
  subscriptionId: string;
  plan: SubscriptionPlan;
  billingCycle: BillingCycle;
  startDate: string;
  status: 'active';
}

export class CreateSubscriptionCommand extends Command<CreateSubscriptionResult> {
  constructor(
    readonly data: CreateSubscriptionData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

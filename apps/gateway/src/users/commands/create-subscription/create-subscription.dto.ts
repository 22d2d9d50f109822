import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  BILLING_CYCLES,
  SUBSCRIPTION_PLANS,
  type BillingCycle,
  type SubscriptionPlan,
} from '@event-hub/contracts';
import { IsCalendarDate } from '../../shared/calendar-date';

export class CreateSubscriptionDto {
  @ApiProperty({ enum: SUBSCRIPTION_PLANS, example: 'premium' })
  @IsIn(SUBSCRIPTION_PLANS)
  plan!: SubscriptionPlan;

  @ApiProperty({ enum: BILLING_CYCLES, example: 'monthly' })
  @IsIn(BILLING_CYCLES)
  billingCycle!: BillingCycle;

  @ApiProperty({ format: 'date', example: '2025-01-15', description: 'Calendar date, YYYY-MM-DD' })
  @IsCalendarDate()
  startDate!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BILLING_CYCLES,
  CURRENCIES,
  PAYMENT_METHODS,
  SUBSCRIPTION_PLANS,
  type BillingCycle,
  type Currency,
  type PaymentMethod,
  type SubscriptionPlan,
} from '@event-hub/contracts';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '@event-hub/user-data';

export class UserSummaryView {
  @ApiProperty({ format: 'uuid', example: '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60' })
  id!: string;

  @ApiProperty({ example: 'Ana Souza' })
  name!: string;

  @ApiProperty({ example: 'ana.souza@example.com' })
  email!: string;

  @ApiProperty({ example: '52998224725', description: 'CPF, 11 digits' })
  document!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class SubscriptionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: SUBSCRIPTION_PLANS, example: 'premium' })
  plan!: SubscriptionPlan;

  @ApiProperty({ enum: BILLING_CYCLES, example: 'monthly' })
  billingCycle!: BillingCycle;

  @ApiProperty({ format: 'date', example: '2025-01-15' })
  startDate!: string;

  @ApiProperty({ enum: SUBSCRIPTION_STATUSES, example: 'active' })
  status!: SubscriptionStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class PaymentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '149.90', description: 'Decimal string with two decimals' })
  amount!: string;

  @ApiProperty({ enum: CURRENCIES, example: 'BRL' })
  currency!: Currency;

  @ApiProperty({ enum: PAYMENT_METHODS, example: 'pix' })
  method!: PaymentMethod;

  @ApiProperty({ format: 'uuid', nullable: true, type: 'string' })
  subscriptionId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class PreferencesView {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { theme: 'dark', language: 'pt-BR' },
  })
  settings!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class UserDetailsView extends UserSummaryView {
  @ApiProperty({ type: [SubscriptionView], description: 'All subscriptions, oldest first' })
  subscriptions!: SubscriptionView[];

  @ApiProperty({
    type: [PaymentView],
    description: 'The most recent payments (up to 100), newest first',
  })
  payments!: PaymentView[];

  @ApiPropertyOptional({
    type: PreferencesView,
    nullable: true,
    description: 'null until preferences were set',
  })
  preferences!: PreferencesView | null;
}

export class UserPageView {
  @ApiProperty({ type: [UserSummaryView] })
  items!: UserSummaryView[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  pageSize!: number;

  @ApiProperty({ example: 1, description: 'Users matching the filter, over all pages' })
  total!: number;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { BillingCycle, SubscriptionPlan } from '@event-hub/contracts';

export const SUBSCRIPTION_STATUSES = ['active', 'cancelled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A user's subscription to a plan (seed 001 `assinaturas`); at most one active per plan. */
@Entity({ name: 'subscriptions' })
export class SubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 20 })
  plan!: SubscriptionPlan;

  @Column({ name: 'billing_cycle', type: 'varchar', length: 20 })
  billingCycle!: BillingCycle;

  /** Calendar date `YYYY-MM-DD`; kept a string so no time zone can shift it. */
  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status!: SubscriptionStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

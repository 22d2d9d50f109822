import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Currency, PaymentMethod } from '@event-hub/contracts';

/** A payment a user made (seed 001 `pagamentos`), optionally for one of their subscriptions. */
@Entity({ name: 'payments' })
export class PaymentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  /**
   * numeric(14,2) read and written as a decimal string ("149.90"): a JavaScript number would
   * round amounts beyond 2^53 cents and invite float arithmetic on money.
   */
  @Column({ type: 'numeric', precision: 14, scale: 2 })
  amount!: string;

  @Column({ type: 'char', length: 3 })
  currency!: Currency;

  @Column({ type: 'varchar', length: 20 })
  method!: PaymentMethod;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

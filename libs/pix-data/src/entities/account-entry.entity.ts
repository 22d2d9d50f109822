import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccountEntryKind } from '../constraints';

/**
 * One balance change of one account (the ledger and the audit of operator adjustments). Keyed by
 * the causing request's id and the account, so a redelivered request changes nothing.
 */
@Entity({ name: 'account_entries' })
export class AccountEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: AccountEntryKind;

  /** Signed change (an adjustment may lower the balance). */
  @Column({ type: 'numeric', precision: 19, scale: 2 })
  amount!: string;

  @Column({ name: 'previous_balance', type: 'numeric', precision: 18, scale: 2 })
  previousBalance!: string;

  @Column({ type: 'numeric', precision: 18, scale: 2 })
  balance!: string;

  @Column({ type: 'bigint' })
  version!: string;

  @Column({ type: 'varchar', length: 255 })
  actor!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

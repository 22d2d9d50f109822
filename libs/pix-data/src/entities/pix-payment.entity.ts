import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PixKeyType, PixPaymentState } from '../constraints';

/** A PIX payment and where it is in the flow (its stages are in `pix_payment_stages`). */
@Entity({ name: 'pix_payments' })
export class PixPaymentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @Column({ name: 'end_to_end_id', type: 'char', length: 32 })
  endToEndId!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey!: string;

  @Column({ name: 'payer_account_id', type: 'uuid' })
  payerAccountId!: string;

  @Column({ name: 'receiver_key_type', type: 'varchar', length: 5 })
  receiverKeyType!: PixKeyType;

  @Column({ name: 'receiver_key_value', type: 'varchar', length: 77 })
  receiverKeyValue!: string;

  /** Resolved by antifraud from the receiver key; null while unknown. */
  @Column({ name: 'receiver_account_id', type: 'uuid', nullable: true })
  receiverAccountId!: string | null;

  @Column({ type: 'numeric', precision: 18, scale: 2 })
  amount!: string;

  @Column({ type: 'varchar', length: 140, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 10 })
  state!: PixPaymentState;

  @Column({ name: 'rejection_code', type: 'varchar', length: 40, nullable: true })
  rejectionCode!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A PIX account of a user within a tenant. Written only by the processor. */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  /** numeric(18,2) read as a decimal string: money is never a float. */
  @Column({ type: 'numeric', precision: 18, scale: 2 })
  balance!: string;

  /** Incremented with every balance change: the account_balances record's version. */
  @Column({ type: 'bigint' })
  version!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Set once, by a close at balance 0.00; a closed account refuses balance changes and payments. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

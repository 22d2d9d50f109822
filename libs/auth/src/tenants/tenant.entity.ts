import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TenantLimits } from './tenant-limits';

/** A customer organisation; its id is part of its topic names (`tenant.<id>.<name>`). */
@Entity({ name: 'tenants' })
export class TenantEntity {
  /** A slug: `^[a-z0-9][a-z0-9-]{1,62}$`. */
  @PrimaryColumn({ type: 'varchar', length: 63 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** A disabled tenant's clients get no tokens and their tokens are refused. */
  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @Column({ type: 'jsonb' })
  limits!: TenantLimits;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

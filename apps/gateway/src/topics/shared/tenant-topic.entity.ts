import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CleanupPolicy } from '@event-hub/contracts';

/**
 * `CREATING` claims a name before its Kafka topic exists, so a crash between the two leaves a row
 * a retry completes (never a name that cannot be created again); only `READY` topics are seen.
 */
export type TenantTopicStatus = 'CREATING' | 'READY';

/** A tenant's topic; the row is the source of truth for who owns which physical topic. */
@Entity({ name: 'tenant_topics' })
export class TenantTopicEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'physical_name', type: 'varchar', length: 249, unique: true })
  physicalName!: string;

  @Column({ type: 'int' })
  partitions!: number;

  /** bigint in Postgres; read as a string by pg, hence the transformer. */
  @Column({
    name: 'retention_ms',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  retentionMs!: number;

  @Column({ name: 'cleanup_policy', type: 'varchar', length: 20 })
  cleanupPolicy!: CleanupPolicy;

  @Column({ name: 'value_subject', type: 'varchar', length: 200, nullable: true })
  valueSubject!: string | null;

  @Column({ type: 'varchar', length: 10 })
  status!: TenantTopicStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

export const COMPATIBILITY_MODES = ['BACKWARD', 'NONE'] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** A tenant's subject; its row is also what registrations of one subject lock to take turns. */
@Entity({ name: 'schema_subjects' })
export class SchemaSubjectEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'varchar', length: 10 })
  compatibility!: CompatibilityMode;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

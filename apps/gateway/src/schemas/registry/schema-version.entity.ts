import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JsonSchemaObject } from '../shared/json-schema';

/** One registered version of a subject: the schema as sent, and the digest of its canonical form. */
@Entity({ name: 'schema_versions' })
export class SchemaVersionEntity {
  /** Global id (bigint, read as a string by pg): stable across versions and subjects. */
  @Column({
    type: 'bigint',
    insert: false,
    update: false,
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  id!: number;

  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  subject!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'jsonb' })
  schema!: JsonSchemaObject;

  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

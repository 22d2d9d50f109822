import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A customer of the platform (seed 001 `usuarios`). Email is unique case-insensitively. */
@Entity({ name: 'users' })
export class UserEntity {
  /** Assigned by the gateway when the command is accepted, so it can key the command. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The tenant whose client created the user: every read and write is scoped to it. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  /** CPF, 11 digits without punctuation. */
  @Column({ type: 'char', length: 11 })
  document!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A user's settings (seed 001 `preferencias`, called config there); one row per user. */
@Entity({ name: 'preferences' })
export class PreferencesEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

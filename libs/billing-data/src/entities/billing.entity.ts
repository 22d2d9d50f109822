import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { UsageAction } from '@event-hub/contracts';

/**
 * One metered produce or consume request (seed 000 `billing`, with `messages` for `mensagens`).
 * Rows are written only by the processor, from `usage_events`; `usage_event_id` is the inbox that
 * makes a redelivered usage event insert nothing.
 */
@Entity({ name: 'billing' })
export class BillingEntity {
  /** bigserial, read as a string: a JavaScript number cannot hold every int8. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 63 })
  tenant!: string;

  /** The tenant's own topic name (not the physical `tenant.<id>.<name>`). */
  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @Column({ type: 'integer' })
  messages!: number;

  /** int8 read as a decimal string, for the same reason as `id`. */
  @Column({ type: 'bigint' })
  bytes!: string;

  @Column({ type: 'varchar', length: 10 })
  action!: UsageAction;

  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime!: Date;

  @Column({ name: 'usage_event_id', type: 'uuid', unique: true })
  usageEventId!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}

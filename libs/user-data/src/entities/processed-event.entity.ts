import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The processor's inbox: one row per command event whose effect is committed, written in the same
 * transaction as the effect. `reply` is the exact reply envelope that was sent, so a redelivered
 * command is answered identically without being applied twice.
 */
@Entity({ name: 'processed_events' })
export class ProcessedEventEntity {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'correlation_id', type: 'uuid' })
  correlationId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 200 })
  eventType!: string;

  @Column({ type: 'jsonb' })
  reply!: Record<string, unknown>;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}

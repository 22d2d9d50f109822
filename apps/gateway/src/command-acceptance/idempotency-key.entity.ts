import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A remembered `Idempotency-Key`. The primary key is what makes two concurrent requests with the
 * same key produce once, even on two gateway instances; `accepted` turns true only after Kafka
 * acknowledged the command, so a replay never answers 202 for a command Kafka did not take.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  /** The client's id and its key ({@link scopedIdempotencyKey}): clients never share keys. */
  @PrimaryColumn({ type: 'varchar', length: 400 })
  key!: string;

  /** SHA-256 of method, path and canonical body. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ name: 'correlation_id', type: 'uuid' })
  correlationId!: string;

  @Column({ type: 'boolean', default: false })
  accepted!: boolean;

  /** The command's event id: every attempt sends the same event, which the processor applies once. */
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;

  /** 1 for the first request; each retry that took over a stale claim adds one. */
  @Column({ type: 'integer', default: 1 })
  attempts!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Expired keys are ignored at once and deleted periodically. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

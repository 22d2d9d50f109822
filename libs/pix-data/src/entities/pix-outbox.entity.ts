import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A Kafka record an outbox row holds after its own (`extras`). */
export interface PackedOutboxRecord {
  topic: string;
  key: string | null;
  /** Null only for a tombstone. */
  payload: string | null;
  headers: Record<string, string>;
}

/**
 * A record waiting to be published (Kafka topic, or the RabbitMQ `pix` exchange with `topic` as
 * routing key). Inserted in the transaction of the write that caused it; `sent_at` is set only
 * after the broker acknowledged it (every record of the row, when it holds several: `extras`).
 */
@Entity({ name: 'pix_outbox' })
export class PixOutboxEntity {
  /** bigserial read as a string; publication follows its order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  destination!: 'kafka' | 'rabbitmq';

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  @Column({ name: 'message_key', type: 'varchar', length: 255, nullable: true })
  messageKey!: string | null;

  /** Null only for a Kafka tombstone (a closed account's account_balances key). */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  /** Further Kafka records published with this one, in order, in the same send; null if none. */
  @Column({ type: 'jsonb', nullable: true })
  extras!: PackedOutboxRecord[] | null;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

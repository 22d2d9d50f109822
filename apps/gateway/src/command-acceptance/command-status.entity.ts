import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CommandError, CommandStatus } from '@event-hub/contracts';

/**
 * What the gateway knows about one command: PENDING from the moment it is handed to Kafka (the row
 * is written before the produce, so no reply can overtake it), then COMPLETED or FAILED when the
 * processor's reply is consumed. Shared by every gateway instance through Postgres.
 */
@Entity({ name: 'command_status' })
export class CommandStatusEntity {
  @PrimaryColumn({ name: 'correlation_id', type: 'uuid' })
  correlationId!: string;

  /** The command's event type; null only for a reply to a command this gateway never recorded. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  command!: string | null;

  /** The tenant whose client sent the command; null only for a reply to an unknown command. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 63, nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 10 })
  status!: CommandStatus;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  error!: CommandError | null;

  @Column({ name: 'accepted_at', type: 'timestamptz' })
  acceptedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /**
   * The processor refuses the command after this instant; a PENDING status past it (and a grace
   * for clock skew) is resolved FAILED `COMMAND.NOT_ACCEPTED`. Null for replies to unknown commands.
   */
  @Column({ type: 'timestamptz', nullable: true })
  deadline!: Date | null;

  /** The command event's id, as the processor's inbox (`processed_events`) knows it. */
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An `Idempotency-Key` of a produce request, per API client. `response` is set only once the
 * records and their usage event are committed, so a replay never answers for records Kafka does
 * not hold.
 */
@Entity({ name: 'produce_idempotency_keys' })
export class ProduceIdempotencyEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 200 })
  clientId!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  /** SHA-256 of the topic and the canonical body. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'jsonb', nullable: true })
  response!: unknown;

  @Column({ name: 'claimed_at', type: 'timestamptz' })
  claimedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Changes whenever the claim changes hands, so two settlers of a stale claim cannot both win. */
  @Column({ name: 'claim_id', type: 'uuid', nullable: true })
  claimId!: string | null;

  /** The claiming gateway: its transactional ids and process incarnation (see ProduceClaimOwner). */
  @Column({ name: 'claimed_by', type: 'varchar', length: 300, nullable: true })
  claimedBy!: string | null;
}

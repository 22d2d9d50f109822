import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Scope } from '../scopes/scopes';

/** A machine identity of a tenant that gets tokens with the client-credentials grant. */
@Entity({ name: 'api_clients' })
@Index('api_clients_tenant_id_idx', ['tenantId'])
export class ApiClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', array: true })
  scopes!: Scope[];

  /** scrypt hash in PHC format; the secret itself is shown once and never stored. */
  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /**
   * Tokens issued before this instant are refused (set by a rotation that asks for it, so a leaked
   * secret's tokens die with it). Whole seconds, like the tokens' `iat`.
   */
  @Column({ name: 'tokens_valid_after', type: 'timestamptz', nullable: true })
  tokensValidAfter!: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PixKeyType } from '../constraints';

/** A PIX key addressing an account; unique per tenant. A blocked key fails antifraud. */
@Entity({ name: 'pix_keys' })
export class PixKeyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 63 })
  tenantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 5 })
  type!: PixKeyType;

  /** Normalised: digits only for CPF/CNPJ, lower-case e-mail, `+55…` phone, lower-case EVP. */
  @PrimaryColumn({ type: 'varchar', length: 77 })
  value!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ type: 'boolean' })
  blocked!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

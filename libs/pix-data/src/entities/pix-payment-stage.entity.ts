import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One stage a payment reached, with when: the timeline of `GET /pix/payments/:id`. */
@Entity({ name: 'pix_payment_stages' })
export class PixPaymentStageEntity {
  @PrimaryColumn({ name: 'payment_id', type: 'uuid' })
  paymentId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  stage!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 200, nullable: true })
  detail!: string | null;
}

import { Module } from '@nestjs/common';
import { PixPaymentAcceptor } from './payments/pix-payment-acceptor';
import { PixPaymentsController } from './payments/pix-payments.controller';

/** PIX payments over HTTP: request (→ Kafka), state with timeline, statement. */
@Module({
  controllers: [PixPaymentsController],
  providers: [PixPaymentAcceptor],
})
export class PixModule {}

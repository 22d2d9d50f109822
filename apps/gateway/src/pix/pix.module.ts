import { Module } from '@nestjs/common';
import { PixPaymentAcceptor } from './payments/pix-payment-acceptor';
import { PixPaymentRequests } from './payments/pix-payment-requests';
import { PixPaymentsController } from './payments/pix-payments.controller';

/** PIX payments over HTTP: request (→ Kafka), state with timeline, statement. */
@Module({
  controllers: [PixPaymentsController],
  providers: [PixPaymentAcceptor, PixPaymentRequests],
})
export class PixModule {}

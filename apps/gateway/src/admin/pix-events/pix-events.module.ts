import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AdminErrorsInterceptor } from '../shared/admin-errors.interceptor';
import { PixExchangePublisher, PixKafkaPublisher } from './pix-event-publishers';
import { PublishPixEventController } from './publish-pix-event/publish-pix-event.controller';
import { PublishPixEventHandler } from './publish-pix-event/publish-pix-event.handler';

/**
 * `POST /admin/pix/events`: the operator's PIX event publisher (`admin` scope). A module of its own
 * beside AdminModule, since it needs the Kafka producer and RabbitMQ, which tenant and client
 * administration do not. Needs the global KafkaProducer and AuthModule's TenantsService.
 */
@Module({
  imports: [CqrsModule],
  controllers: [PublishPixEventController],
  providers: [
    AdminErrorsInterceptor,
    PublishPixEventHandler,
    PixKafkaPublisher,
    PixExchangePublisher,
  ],
})
export class PixEventsAdminModule {}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantsService } from '@event-hub/auth';
import { ProblemException } from '@event-hub/service-runtime';
import {
  PixExchangePublisher,
  PixKafkaPublisher,
  type PublishedToExchange,
  type PublishedToKafka,
} from '../pix-event-publishers';
import { eventTypeOf, PixEventValidator, targetOf } from '../pix-event-validation';
import { PublishPixEventCommand } from './publish-pix-event.command';

export type PublishedPixEvent = { eventId: string; eventType: string; tenantId: string } & (
  PublishedToKafka | PublishedToExchange
);

/**
 * Checks the target against the catalog and the event against its type's schema and its tenant
 * against the tenants, then publishes it; every refusal is a 400 naming the field.
 */
@CommandHandler(PublishPixEventCommand)
export class PublishPixEventHandler implements ICommandHandler<
  PublishPixEventCommand,
  PublishedPixEvent
> {
  private readonly validator = new PixEventValidator();

  constructor(
    private readonly tenants: TenantsService,
    private readonly kafka: PixKafkaPublisher,
    private readonly exchange: PixExchangePublisher,
  ) {}

  async execute(command: PublishPixEventCommand): Promise<PublishedPixEvent> {
    const target = targetOf(command.target);
    if (Array.isArray(target)) throw ProblemException.validation(target);
    const event = this.validator.check(eventTypeOf(target), command.event);
    if (Array.isArray(event)) throw ProblemException.validation(event);
    // PIX topics are platform topics: the event keeps its own tenant, which must exist.
    if (!(await this.tenants.find(event.tenantId))) {
      throw ProblemException.validation([
        { field: 'body.event.tenantId', message: `tenantId "${event.tenantId}" is not a tenant` },
      ]);
    }
    const published =
      target.kind === 'kafka'
        ? await this.kafka.publish(target.topic, event)
        : await this.exchange.publish(target.routingKey, event);
    return {
      eventId: event.eventId,
      eventType: event.eventType,
      tenantId: event.tenantId,
      ...published,
    };
  }
}

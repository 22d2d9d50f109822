import { Logger } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { ProcessorMetrics } from '../../metrics/processor.metrics';
import { PaymentRecordedEvent } from './payment-recorded.event';
import { PreferencesUpdatedEvent } from './preferences-updated.event';
import { SubscriptionCreatedEvent } from './subscription-created.event';
import { UserCreatedEvent } from './user-created.event';

type UserDomainEvent =
  UserCreatedEvent | SubscriptionCreatedEvent | PaymentRecordedEvent | PreferencesUpdatedEvent;

/**
 * Counts and logs committed domain events. It is the seam where projections or integration events
 * will attach; today nothing else consumes them, so it does no more than that.
 */
@EventsHandler(
  UserCreatedEvent,
  SubscriptionCreatedEvent,
  PaymentRecordedEvent,
  PreferencesUpdatedEvent,
)
export class DomainEventsHandler implements IEventHandler<UserDomainEvent> {
  private readonly logger = new Logger('DomainEvents');

  constructor(private readonly metrics: ProcessorMetrics) {}

  handle(event: UserDomainEvent): void {
    const name = event.constructor.name;
    this.metrics.domainEvents.inc({ event: name });
    this.logger.debug({
      event: name,
      userId: event.userId,
      correlationId: event.meta.correlationId,
    });
  }
}

import { GatewayError } from '../../shared/http-errors';

/** Kafka or RabbitMQ did not take the operator's event (refused, unreachable, not confirmed). */
export class PixEventNotPublishedError extends GatewayError {
  readonly code = 'PIX.EVENT_NOT_PUBLISHED';
  readonly status = 503;
  readonly title = 'The broker did not take the event';
  override readonly retryAfterSeconds = 1;
  constructor(broker: 'Kafka' | 'RabbitMQ', reason: string) {
    super(`${broker} did not acknowledge the event (${reason}); it may be retried as it is`);
    this.extensions['broker'] = broker;
  }
}

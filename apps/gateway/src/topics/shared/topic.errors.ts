import { GatewayError } from '../../shared/http-errors';

/** Also what another tenant's topic, an internal topic or a malformed name answer. */
export class TopicNotFoundError extends GatewayError {
  readonly code = 'TOPIC.NOT_FOUND';
  readonly status = 404;
  readonly title = 'Topic not found';
  constructor(name: string) {
    super(`No topic named ${JSON.stringify(name)}`);
  }
}

export class TopicAlreadyExistsError extends GatewayError {
  readonly code = 'TOPIC.ALREADY_EXISTS';
  readonly status = 409;
  readonly title = 'Topic already exists';
  constructor(name: string) {
    super(`A topic named ${JSON.stringify(name)} already exists`);
  }
}

export type TopicLimitName = 'maxTopics' | 'maxPartitionsPerTopic' | 'maxRetentionMs';

/** A request beyond one of the tenant's limits; `field` names the request field, `limit` the limit. */
export class TopicLimitExceededError extends GatewayError {
  readonly code = 'TOPIC.LIMIT_EXCEEDED';
  readonly status = 422;
  readonly title = 'Tenant topic limit exceeded';
  constructor(field: string, limit: TopicLimitName, max: number, detail: string) {
    super(detail);
    this.extensions['field'] = field;
    this.extensions['limit'] = limit;
    this.extensions['max'] = max;
  }
}

/** Kafka did not carry out a topic change; the request may be retried as it is. */
export class TopicAdminUnavailableError extends GatewayError {
  readonly code = 'TOPIC.KAFKA_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'Kafka did not complete the topic change';
  override readonly retryAfterSeconds = 5;
  constructor(action: string, cause: unknown) {
    super(
      `Kafka did not ${action}: ${cause instanceof Error ? cause.message : String(cause)}; retry the same request`,
      { cause },
    );
  }
}

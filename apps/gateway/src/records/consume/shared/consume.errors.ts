import { GatewayError } from '../../../shared/http-errors';

/** 400: a start position the topic cannot serve (unknown partition, offset past the end). */
export class ConsumePositionError extends GatewayError {
  readonly code = 'CONSUME.INVALID_POSITION';
  readonly status = 400;
  readonly title = 'Invalid start position';
  constructor(
    field: string,
    detail: string,
    range?: { partition: number; low: string; high: string },
  ) {
    super(detail);
    this.extensions['field'] = field;
    if (range) this.extensions['range'] = range;
  }
}

/** 403: `clientId` names another client than the token's. */
export class ClientIdMismatchError extends GatewayError {
  readonly code = 'CONSUME.CLIENT_ID_MISMATCH';
  readonly status = 403;
  readonly title = 'clientId is not the caller';
  constructor() {
    super('clientId, when given, must be the client id of the token (consumption is billed to it)');
    this.extensions['field'] = 'query.clientId';
  }
}

/** 503: no reader of the topic became free in time, or the gateway is shutting down. */
export class ConsumeBusyError extends GatewayError {
  readonly code = 'CONSUME.BUSY';
  readonly status = 503;
  readonly title = 'No reader available';
  override readonly retryAfterSeconds = 1;
}

/** 503: Kafka failed the read; nothing was delivered or metered. */
export class ConsumeReadFailedError extends GatewayError {
  readonly code = 'CONSUME.READ_FAILED';
  readonly status = 503;
  readonly title = 'Kafka read failed';
  override readonly retryAfterSeconds = 1;
  constructor(detail: string, options?: { cause: unknown }) {
    super(detail, options);
  }
}

/** 503: the usage event was not acknowledged, so the records are not delivered. */
export class ConsumeMeteringFailedError extends GatewayError {
  readonly code = 'CONSUME.METERING_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'Usage could not be metered';
  override readonly retryAfterSeconds = 1;
  constructor(cause: unknown) {
    super(
      'The consumption could not be metered, so nothing is delivered; retry from the same position',
      {
        cause,
      },
    );
  }
}

import { GatewayError } from '../../shared/http-errors';

export class PixPaymentNotFoundError extends GatewayError {
  readonly code = 'PIX.PAYMENT_NOT_FOUND';
  readonly status = 404;
  readonly title = 'PIX payment not found';
  constructor(paymentId: string) {
    super(`No PIX payment with id ${paymentId}`);
  }
}

export class PixPaymentNotAcceptedError extends GatewayError {
  readonly code = 'PIX.NOT_ACCEPTED';
  readonly status = 503;
  readonly title = 'Kafka did not acknowledge the payment request';
  override readonly retryAfterSeconds = 1;
  constructor(paymentId: string) {
    super(
      `The request of payment ${paymentId} was not acknowledged by Kafka; retry with the same ` +
        'Idempotency-Key: the payment is made at most once',
    );
    this.extensions['paymentId'] = paymentId;
  }
}

export class PixPaymentStoreUnavailableError extends GatewayError {
  readonly code = 'PIX.STORE_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'Payment request store unavailable';
  override readonly retryAfterSeconds = 1;
  constructor(cause: unknown) {
    super(
      'The payment request store (Postgres) is unavailable; nothing was produced. Retry with the ' +
        'same Idempotency-Key',
      { cause },
    );
  }
}

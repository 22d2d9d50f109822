import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, type Observable } from 'rxjs';
import { ProblemException } from '@event-hub/service-runtime';

/**
 * The gateway's own errors. Each carries a stable `code`; the HTTP status and title of every code
 * are decided here, in {@link HTTP_ERRORS}, and nowhere else.
 */
export abstract class GatewayError extends Error {
  abstract readonly code: GatewayErrorCode;
  /** Seconds after which the client may retry; sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;
  readonly extensions: Record<string, unknown> = {};
}

export class CommandStatusNotFoundError extends GatewayError {
  readonly code = 'STATUS.NOT_FOUND';
  constructor(correlationId: string) {
    super(`No command was accepted with correlation id ${correlationId}`);
  }
}

export class UserNotFoundError extends GatewayError {
  readonly code = 'USER.NOT_FOUND';
  constructor(userId: string) {
    super(`No user with id ${userId}`);
  }
}

export class IdempotencyKeyReusedError extends GatewayError {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  constructor() {
    super(
      'This Idempotency-Key was already used with another request (method, path or body differ)',
    );
  }
}

export class IdempotencyKeyInProgressError extends GatewayError {
  readonly code = 'IDEMPOTENCY.IN_PROGRESS';
  override readonly retryAfterSeconds = 1;
  constructor() {
    super('A request with this Idempotency-Key is still being accepted; retry shortly');
  }
}

export type NotAcceptedReason = 'timeout' | 'queue_full' | 'broker_error' | 'shutting_down';

export class CommandNotAcceptedError extends GatewayError {
  readonly code = 'COMMAND.NOT_ACCEPTED';
  constructor(
    readonly reason: NotAcceptedReason,
    override readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(detail);
    this.extensions['reason'] = reason;
  }
}

export class CommandStoreUnavailableError extends GatewayError {
  readonly code = 'COMMAND.STORE_UNAVAILABLE';
  constructor(
    override readonly retryAfterSeconds: number,
    cause: unknown,
  ) {
    super('The command status store (Postgres) is unavailable; nothing was produced', { cause });
  }
}

export const HTTP_ERRORS = {
  'STATUS.NOT_FOUND': { status: 404, title: 'Unknown correlation id' },
  'USER.NOT_FOUND': { status: 404, title: 'User not found' },
  'IDEMPOTENCY.KEY_REUSED': { status: 409, title: 'Idempotency-Key reused with another request' },
  'IDEMPOTENCY.IN_PROGRESS': {
    status: 409,
    title: 'Request with this Idempotency-Key in progress',
  },
  'COMMAND.NOT_ACCEPTED': { status: 503, title: 'Kafka did not accept the command' },
  'COMMAND.STORE_UNAVAILABLE': { status: 503, title: 'Command status store unavailable' },
} as const;

export type GatewayErrorCode = keyof typeof HTTP_ERRORS;

export function toProblem(error: GatewayError): ProblemException {
  const { status, title } = HTTP_ERRORS[error.code];
  return new ProblemException(status, error.code, title, error.message, error.extensions);
}

/** Turns gateway errors thrown by handlers into problem details, with `Retry-After` when known. */
@Injectable()
export class GatewayErrorsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof GatewayError)) throw error;
        if (error.retryAfterSeconds !== undefined) {
          void context
            .switchToHttp()
            .getResponse<FastifyReply>()
            .header('retry-after', String(error.retryAfterSeconds));
        }
        throw toProblem(error);
      }),
    );
  }
}

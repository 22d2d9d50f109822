import { principalOf, RequireScopes, SCOPES, type Scope } from '@event-hub/auth';
import {
  applyDecorators,
  HttpCode,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiAcceptedResponse, ApiProperty } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, tap, type Observable } from 'rxjs';
import type { PlatformCommandType } from '@event-hub/contracts';
import { ProblemException } from '@event-hub/service-runtime';
import {
  ApiIdempotencyKeyHeader,
  ApiProblemResponse,
  PROBLEM_EXAMPLES,
} from '../docs/problem-responses';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { GatewayError } from '../shared/http-errors';
import type { AcceptedCommand } from './command-acceptor';
import type { CommandContext } from './command-acceptor';
import {
  idempotencyKeyOf,
  requestHash,
  scopedIdempotencyKey,
  type IdempotencyClaim,
} from './idempotency';

/** The 202 answer to every command. */
export class AcceptedCommandDto {
  @ApiProperty({ format: 'uuid', example: '0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e' })
  correlationId!: string;

  @ApiProperty({ enum: ['PENDING'], example: 'PENDING' })
  status!: 'PENDING';

  @ApiProperty({
    example: '/status/0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e',
    description: 'Poll it for the outcome',
  })
  statusUrl!: string;
}

export function statusUrl(correlationId: string): string {
  return `/status/${correlationId}`;
}

/** Writes the 202 answer: body, `Location` of the status, and whether it is a replay. */
export function answerAccepted(reply: FastifyReply, accepted: AcceptedCommand): AcceptedCommandDto {
  const url = statusUrl(accepted.correlationId);
  void reply.header('location', url);
  if (accepted.replayed) void reply.header('idempotent-replayed', 'true');
  return { correlationId: accepted.correlationId, status: 'PENDING', statusUrl: url };
}

/**
 * The request's `Idempotency-Key` with the fingerprint of the request (method, path and canonical
 * body as the client sent it), or undefined when there is none. A malformed key is a 400.
 */
/** Who sent the command (from the verified token) and its Idempotency-Key, if any. */
export function commandContextOf(request: FastifyRequest): CommandContext {
  const principal = principalOf(request);
  if (!principal) throw new Error('a command route ran without an authenticated caller');
  const origin = { tenantId: principal.tenantId, clientId: principal.clientId };
  const idempotency = idempotencyClaimOf(request, origin.clientId);
  return idempotency ? { origin, idempotency } : { origin };
}

function idempotencyClaimOf(
  request: FastifyRequest,
  clientId: string,
): IdempotencyClaim | undefined {
  const key = idempotencyKeyOf(request.headers['idempotency-key']);
  if (key === undefined) return undefined;
  return {
    key: scopedIdempotencyKey(clientId, key),
    requestHash: requestHash(request.method, request.url, request.body),
  };
}

const COMMAND_TYPE = 'gateway:command-type';

/** Counts every command answer (accepted, replayed, or rejected with its problem code). */
@Injectable()
export class CommandMetricsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly metrics: GatewayMetrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const command = this.reflector.get<string>(COMMAND_TYPE, context.getHandler()) ?? 'unknown';
    return next.handle().pipe(
      tap(() => {
        const replayed = context
          .switchToHttp()
          .getResponse<FastifyReply>()
          .getHeader('idempotent-replayed');
        this.metrics.commandsAccepted.inc({
          command,
          replayed: replayed === 'true' ? 'true' : 'false',
        });
      }),
      catchError((error: unknown) => {
        const code =
          error instanceof ProblemException
            ? error.problem.code
            : error instanceof GatewayError
              ? error.code
              : 'INTERNAL_ERROR';
        this.metrics.commandsRejected.inc({ command, code });
        throw error;
      }),
    );
  }
}

/** Everything a command route shares: 202, metrics, and its documented answers. */
export function CommandRoute(
  command: PlatformCommandType,
  path: string,
  badRequest: { field: string; message: string }[],
  scope: Scope = SCOPES.eventsProduce,
): MethodDecorator {
  return applyDecorators(
    HttpCode(202),
    RequireScopes(scope),
    SetMetadata(COMMAND_TYPE, command),
    UseInterceptors(CommandMetricsInterceptor),
    ApiIdempotencyKeyHeader(),
    ApiAcceptedResponse({
      type: AcceptedCommandDto,
      description: `Kafka committed the \`${command}\` command (or its commit was sent and the status will say whether it landed); poll statusUrl (also in Location) for the outcome`,
      headers: {
        Location: { description: 'The status URL', schema: { type: 'string' } },
        'Idempotent-Replayed': {
          description: '"true" when this repeats the first answer to the same Idempotency-Key',
          schema: { type: 'string' },
        },
      },
    }),
    ApiProblemResponse(400, 'A field is missing, unknown or invalid; nothing was produced', {
      validation: PROBLEM_EXAMPLES.validation(path, badRequest),
    }),
    ApiProblemResponse(
      409,
      'The Idempotency-Key was used with another request, or its first request is in progress',
      {
        reused: PROBLEM_EXAMPLES.idempotencyReused(path),
        inProgress: PROBLEM_EXAMPLES.idempotencyInProgress(path),
      },
    ),
    ApiProblemResponse(
      503,
      'Kafka (or the status store) did not take the command in time; it was not accepted and will never take effect, retry after Retry-After',
      { notAccepted: PROBLEM_EXAMPLES.notAccepted(path) },
      { retryAfter: true },
    ),
  );
}

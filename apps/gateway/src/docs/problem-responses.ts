import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from '@event-hub/service-runtime';

export class FieldErrorDto {
  @ApiProperty({
    example: 'body.email',
    description: 'Where the bad value is: body., query., params. or headers.',
  })
  field!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/** RFC 9457 problem details: the body of every error answer (content type application/problem+json). */
export class ProblemDetailsDto {
  @ApiProperty({ example: `${PROBLEM_TYPE_BASE}validation-failed` })
  type!: string;

  @ApiProperty({ example: 'Request validation failed' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' })
  code!: string;

  @ApiPropertyOptional({ example: 'Invalid: body.email, body.document' })
  detail?: string;

  @ApiPropertyOptional({ example: '/users', description: 'The request path' })
  instance?: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'One entry per bad field (validation failures)',
  })
  errors?: FieldErrorDto[];
}

export type ProblemExample = { summary: string; value: Record<string, unknown> };

const problem = (
  status: number,
  code: string,
  title: string,
  detail: string,
  instance: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/[._]/g, '-')}`,
  title,
  status,
  code,
  detail,
  instance,
  ...extra,
});

/** A problem-details example for Swagger, shaped as the gateway renders it. */
export function problemExample(
  status: number,
  code: string,
  title: string,
  detail: string,
  instance: string,
  extra: Record<string, unknown> = {},
): ProblemExample {
  return { summary: title, value: problem(status, code, title, detail, instance, extra) };
}

/** Ready-made examples of the error answers, reused across routes. */
export const PROBLEM_EXAMPLES = {
  validation: (instance: string, errors: { field: string; message: string }[]): ProblemExample => ({
    summary: 'A field is missing, unknown or invalid',
    value: problem(
      400,
      'VALIDATION_FAILED',
      'Request validation failed',
      `Invalid: ${errors.map((e) => e.field).join(', ')}`,
      instance,
      { errors },
    ),
  }),
  idempotencyReused: (instance: string): ProblemExample => ({
    summary: 'The Idempotency-Key was used with another body',
    value: problem(
      409,
      'IDEMPOTENCY.KEY_REUSED',
      'Idempotency-Key reused with another request',
      'This Idempotency-Key was already used with another request (method, path or body differ)',
      instance,
    ),
  }),
  idempotencyInProgress: (instance: string): ProblemExample => ({
    summary:
      'The first request with this Idempotency-Key is still waiting for Kafka (Retry-After: 1)',
    value: problem(
      409,
      'IDEMPOTENCY.IN_PROGRESS',
      'Request with this Idempotency-Key in progress',
      'A request with this Idempotency-Key is still being accepted; retry shortly',
      instance,
    ),
  }),
  notAccepted: (instance: string): ProblemExample => ({
    summary: 'Kafka did not acknowledge the command in time (Retry-After says when to retry)',
    value: problem(
      503,
      'COMMAND.NOT_ACCEPTED',
      'Kafka did not accept the command',
      'Kafka did not acknowledge the command within 5000 ms; it was not accepted',
      instance,
      { reason: 'timeout' },
    ),
  }),
  notFound: (instance: string, code: string, title: string, detail: string): ProblemExample => ({
    summary: title,
    value: problem(404, code, title, detail, instance),
  }),
};

/** Documents one error status answered as problem details, with named examples. */
export function ApiProblemResponse(
  status: number,
  description: string,
  examples: Record<string, ProblemExample>,
  options: { retryAfter?: boolean } = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto, FieldErrorDto),
    ApiResponse({
      status,
      description,
      content: {
        [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) }, examples },
      },
      ...(options.retryAfter
        ? {
            headers: {
              'Retry-After': {
                description: 'Seconds to wait before retrying',
                schema: { type: 'integer', example: 5 },
              },
            },
          }
        : {}),
    }),
  );
}

/** The optional `Idempotency-Key` header of every command. */
export function ApiIdempotencyKeyHeader(): MethodDecorator & ClassDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Up to 200 visible ASCII characters. Sending the same key with the same method, path and body ' +
      'within 24 h returns the first answer (same correlationId) and produces nothing new; the same ' +
      'key with another request is answered 409.',
    schema: { type: 'string', maxLength: 200, example: '6f1c2a54-order-42' },
  });
}

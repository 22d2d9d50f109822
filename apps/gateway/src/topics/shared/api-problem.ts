import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from '@event-hub/service-runtime';
import { ProblemDetailsDto } from '../../docs/problem-responses';

/** A problem-details example for Swagger, shaped as the gateway renders it. */
export function problemExample(
  status: number,
  code: string,
  title: string,
  detail: string,
  instance: string,
  extra: Record<string, unknown> = {},
): { summary: string; value: Record<string, unknown> } {
  return {
    summary: title,
    value: {
      type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/[._]/g, '-')}`,
      title,
      status,
      code,
      detail,
      instance,
      ...extra,
    },
  };
}

/** Documents an error status of the tenant topic and produce routes (any status, unlike the shared helper). */
export function ApiProblem(
  status: number,
  description: string,
  examples: Record<string, { summary: string; value: Record<string, unknown> }>,
  options: { retryAfter?: boolean } = {},
): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
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

import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, type ProblemDetails } from './problem-details';
import { ProblemException } from './problem.exception';

/** Renders every error as RFC 9457 problem details; unexpected errors are logged, not leaked. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = { ...this.toProblem(exception), instance: request.url };
    if (problem.status >= 500) {
      this.logger.error({ err: exception, url: request.url }, 'request failed');
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) return exception.problem;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail =
        typeof body === 'string'
          ? body
          : typeof body === 'object' && body !== null && 'message' in body
            ? String((body as { message: unknown }).message)
            : exception.message;
      const code = (HttpStatus[status] ?? 'HTTP_ERROR').toString();
      return {
        type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`,
        title: exception.message,
        status,
        code,
        detail,
      };
    }
    // Fastify's own errors (body too large, bad JSON) carry a statusCode.
    const fastifyStatus = (exception as { statusCode?: unknown }).statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      const code = fastifyStatus === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      return {
        type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`,
        title: message,
        status: fastifyStatus,
        code,
        detail: message,
      };
    }
    return {
      type: `${PROBLEM_TYPE_BASE}internal-error`,
      title: 'Internal server error',
      status: 500,
      code: 'INTERNAL_ERROR',
    };
  }
}

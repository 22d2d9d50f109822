import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  NotFoundException,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mediaTypeOf, problemForFrameworkError } from './framework-errors';
import { internalErrorProblem, type ProblemDetails } from './problem-details';
import { ProblemException } from './problem.exception';
import { RequestProblems } from './request-problems';
import type { RouteTable } from './route-table';
import { sendProblem } from './send-problem';

/** Renders every error as RFC 9457 problem details; unexpected errors are logged, not leaked. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  /** @param routes the server's routes, to answer 405 rather than 404 for a known path. */
  constructor(private readonly routes?: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, url: request.url }, 'request failed');
    }
    if (problem.status === 405 && Array.isArray(problem['allowed'])) {
      void reply.header('allow', problem['allowed'].join(', '));
    }
    sendProblem(reply, problem, request.url);
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDetails {
    if (exception instanceof ProblemException) return exception.problem;
    // Nest's answer when no route matched: no route options, unlike a handler's own 404.
    if (exception instanceof NotFoundException && request.routeOptions.url === undefined) {
      return this.noRoute(request).problem;
    }
    // Handlers throw ProblemExceptions; a plain HttpException comes from Nest or Fastify.
    const status = exception instanceof HttpException ? exception.getStatus() : undefined;
    const framework = problemForFrameworkError(
      exception instanceof HttpException
        ? { statusCode: status, message: exception.message }
        : exception,
      { contentType: mediaTypeOf(request.headers), bodyLimit: request.routeOptions.bodyLimit },
    );
    if (framework) return framework.problem;
    if (exception instanceof HttpException && status !== undefined) {
      const code = String(HttpStatus[status] ?? 'HTTP_ERROR');
      return new ProblemException(status, code, exception.message, exception.message).problem;
    }
    return internalErrorProblem();
  }

  private noRoute(request: FastifyRequest): ProblemException {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = this.routes?.allowedMethods(path) ?? [];
    return allowed.length > 0
      ? RequestProblems.methodNotAllowed(request.method, allowed)
      : RequestProblems.routeNotFound(request.method, path);
  }
}

import { randomUUID } from 'node:crypto';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigService } from '@nestjs/config';
import { Logger as PinoLogger } from 'nestjs-pino';
import { traceHttpRequests } from '@event-hub/observability';
import { DEFAULT_MAX_JSON_DEPTH, useStrictBodyParsers } from '../http/body-parsers';
import { answerClientError } from '../http/client-errors';
import { problemForFrameworkError } from '../http/framework-errors';
import { internalErrorProblem } from '../http/problem-details';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { ProblemValidationPipe } from '../http/problem-validation.pipe';
import { RouteTable } from '../http/route-table';
import { sendProblem, type ProblemReply } from '../http/send-problem';

export interface HttpServiceOptions {
  port: number;
  host: string;
  /** Largest accepted request body in bytes (Fastify answers 413 beyond it). */
  bodyLimit?: number;
  /** Hook to add things such as Swagger before the server listens. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/** Applies the platform's HTTP conventions (JSON logs, problem details, validation, shutdown). */
export function applyHttpConventions(app: INestApplication, routes?: RouteTable): void {
  app.useLogger(app.get(PinoLogger));
  app.useGlobalFilters(new ProblemDetailsFilter(routes));
  app.useGlobalPipes(new ProblemValidationPipe());
  app.enableShutdownHooks();
}

export async function createHttpService(
  module: Type<unknown> | DynamicModule,
  options: Omit<HttpServiceOptions, 'port' | 'host'> = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({
      bodyLimit: options.bodyLimit ?? 1024 * 1024,
      trustProxy: true,
      // A caller's x-request-id is kept so its logs and ours can be joined; otherwise a fresh UUID.
      requestIdHeader: 'x-request-id',
      genReqId: () => randomUUID(),
      // Errors Fastify raises while routing, before any hook or Nest filter runs (a path that does
      // not decode, a segment beyond maxParamLength): problem details like every other error.
      clientErrorHandler: answerClientError,
      frameworkErrors: (error: unknown, request: { url: string }, reply: ProblemReply) => {
        const problem = problemForFrameworkError(error, {})?.problem ?? internalErrorProblem();
        sendProblem(reply, problem, request.url);
      },
    }),
    // Let start-up errors reach runService, which reports them as one JSON line.
    { bufferLogs: true, abortOnError: false },
  );
  // First of the request hooks: everything a request does runs within its span.
  traceHttpRequests(app.getHttpAdapter().getInstance());
  // Before any route is registered (app.init, Swagger), so the table sees them all.
  const routes = RouteTable.attach(app);
  applyHttpConventions(app, routes);
  useStrictBodyParsers(app, { maxJsonDepth: maxJsonDepthOf(app) });
  await options.configure?.(app);
  return app;
}

export async function bootstrapHttpService(
  module: Type<unknown> | DynamicModule,
  options: HttpServiceOptions,
): Promise<NestFastifyApplication> {
  const app = await createHttpService(module, options);
  await app.listen(options.port, options.host);
  return app;
}

/** HTTP_MAX_JSON_DEPTH of the app's validated configuration, when it has one. */
function maxJsonDepthOf(app: INestApplication): number {
  const config = app.get(ConfigService, { strict: false });
  return config.get<number>('HTTP_MAX_JSON_DEPTH') ?? DEFAULT_MAX_JSON_DEPTH;
}

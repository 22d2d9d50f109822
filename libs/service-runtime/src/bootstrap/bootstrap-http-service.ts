import { randomUUID } from 'node:crypto';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { ProblemValidationPipe } from '../http/problem-validation.pipe';

export interface HttpServiceOptions {
  port: number;
  host: string;
  /** Largest accepted request body in bytes (Fastify answers 413 beyond it). */
  bodyLimit?: number;
  /** Hook to add things such as Swagger before the server listens. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/** Applies the platform's HTTP conventions (JSON logs, problem details, validation, shutdown). */
export function applyHttpConventions(app: INestApplication): void {
  app.useLogger(app.get(PinoLogger));
  app.useGlobalFilters(new ProblemDetailsFilter());
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
    }),
    // Let start-up errors reach runService, which reports them as one JSON line.
    { bufferLogs: true, abortOnError: false },
  );
  applyHttpConventions(app);
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

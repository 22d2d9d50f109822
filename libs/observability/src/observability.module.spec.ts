import { Controller, Get, Injectable, Param, UnauthorizedException } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import type { Counter } from 'prom-client';
import { ObservabilityModule } from './observability.module';

/** A feature's routes: one answering, one refusing. */
@Controller('things')
class ThingsController {
  @Get(':id')
  one(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Get(':id/secret')
  secret(): never {
    throw new UnauthorizedException();
  }
}

/** A feature's metric, declared and injected the way the apps do it. */
@Injectable()
class Clicks {
  constructor(@InjectMetric('test_clicks_total') readonly counter: Counter) {}
}

async function startApp(service: string): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        load: [() => ({ LOG_LEVEL: 'silent' })],
      }),
      ObservabilityModule.forService(service),
    ],
    controllers: [ThingsController],
    providers: [makeCounterProvider({ name: 'test_clicks_total', help: 'Clicks' }), Clicks],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const scrape = async (app: NestFastifyApplication) => {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    body: response.body,
  };
};

const clicks = (body: string): number =>
  Number(/^test_clicks_total\{[^}]*\} (\d+)$/m.exec(body)?.[1] ?? Number.NaN);

describe('ObservabilityModule', () => {
  it('serves the default registry at /metrics, with Node’s default metrics, every series labelled by service', async () => {
    const app = await startApp('billing');
    try {
      app.get(Clicks).counter.inc(3);
      const { status, type, body } = await scrape(app);
      expect(status).toBe(200);
      expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(body).toContain('# HELP test_clicks_total Clicks');
      expect(body).toMatch(/^test_clicks_total\{service="billing"\} 3$/m);
      for (const name of [
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'process_start_time_seconds',
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
        'nodejs_gc_duration_seconds',
      ])
        expect(body).toContain(`# TYPE ${name} `);
      expect(body).toMatch(/^process_cpu_user_seconds_total\{service="billing"\} /m);
      expect(body).toMatch(/^nodejs_eventloop_lag_seconds\{service="billing"\} /m);
    } finally {
      await app.close();
    }
  });

  it('times every HTTP answer by method, route template and status, unmatched paths under one route', async () => {
    const app = await startApp('billing');
    try {
      for (const url of ['/things/a', '/things/b', '/things/c/secret', '/nowhere/d', '/nowhere/e'])
        await app.inject({ method: 'GET', url });
      const { body } = await scrape(app);
      const count = (labels: string): number =>
        Number(
          new RegExp(
            `^http_request_duration_seconds_count\\{service="billing",${labels}\\} (\\d+)$`,
            'm',
          ).exec(body)?.[1] ?? Number.NaN,
        );
      expect(body).toContain('# TYPE http_request_duration_seconds histogram');
      expect(count('method="GET",route="/things/:id",status_code="200"')).toBe(2);
      expect(count('method="GET",route="/things/:id/secret",status_code="401"')).toBe(1);
      expect(count('method="GET",route="unmatched",status_code="404"')).toBe(2);
      expect(body).not.toContain('/things/a');
      expect(body).not.toContain('/nowhere');
    } finally {
      await app.close();
    }
  });

  it("writes the request binding of pino-http's loggers without key-based redaction", async () => {
    const app = await startApp('spec-logging');
    try {
      const root = PinoLogger.root as unknown as Record<symbol, Record<string, unknown>>;
      expect(root[symbols.stringifiersSym]?.['req']).toBe(root[symbols.stringifySym]);
    } finally {
      await app.close();
    }
  });

  it('keeps /metrics out of the OpenAPI document', async () => {
    const app = await startApp('billing');
    try {
      const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      expect(Object.keys(document.paths)).not.toContain('/metrics');
    } finally {
      await app.close();
    }
  });

  it('lets apps alive at the same time in one process share the series', async () => {
    const first = await startApp('billing');
    const second = await startApp('billing');
    try {
      first.get(Clicks).counter.inc(2);
      second.get(Clicks).counter.inc(5);
      expect(clicks((await scrape(first)).body)).toBe(7);
      await first.close();
      expect(clicks((await scrape(second)).body)).toBe(7);
    } finally {
      await second.close();
    }
  });

  it('starts the next app from zero once every app of the process has closed, like a restart', async () => {
    const before = await startApp('billing');
    before.get(Clicks).counter.inc(4);
    await before.close();

    const after = await startApp('billing');
    try {
      expect(clicks((await scrape(after)).body)).toBe(0);
      expect((await scrape(after)).body).toMatch(
        /^process_cpu_user_seconds_total\{service="billing"\}/m,
      );
    } finally {
      await after.close();
    }
  });
});

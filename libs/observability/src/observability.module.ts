import {
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { DefaultRegistryLease } from './default-registry.lease';
import { HTTP_METRICS } from './http-metrics';
import { loggingOptions, skipRequestRedaction } from './logging.options';
import { MetricsController } from './metrics.controller';
import { flushTraces, startTracing } from './tracing';

/**
 * Tracing for the process, set up with the app (once per process, see {@link startTracing}); sends
 * the spans still buffered before the process goes.
 */
class Tracing implements OnApplicationShutdown {
  constructor(service: string) {
    startTracing(service);
  }

  onApplicationShutdown(): Promise<void> {
    return flushTraces();
  }
}

/**
 * JSON logging and a `/metrics` endpoint for one service: prom-client's default registry with
 * Node's default metrics and every HTTP answer's duration, every series labelled `service`. Features declare their metrics with
 * `make*Provider` and inject them with `@InjectMetric`. Needs a global ConfigModule with LOG_LEVEL.
 * Tracing (see {@link startTracing}) is set up here, once per process, from the OTEL_* variables;
 * every log line written within a span carries its `traceId` and `spanId`.
 */
@Module({})
export class ObservabilityModule implements OnModuleInit {
  /** pino-http made the root logger when the app's middleware was set up, before this hook. */
  onModuleInit(): void {
    if (PinoLogger.root !== undefined) skipRequestRedaction(PinoLogger.root);
  }

  static forService(service: string): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            loggingOptions(service, config.get<string>('LOG_LEVEL') ?? 'info'),
        }),
        PrometheusModule.register({
          path: '/metrics',
          controller: MetricsController,
          // Collected by the lease, once per process (see DefaultRegistryLease).
          defaultMetrics: { enabled: false },
        }),
      ],
      // Taken when the app is built, given back when it closes.
      providers: [
        { provide: DefaultRegistryLease, useFactory: () => new DefaultRegistryLease(service) },
        // After the environment is validated (its OTEL_* problems are named with the others), before
        // the app serves requests or consumes records.
        { provide: Tracing, inject: [ConfigService], useFactory: () => new Tracing(service) },
        ...HTTP_METRICS,
      ],
    };
  }
}

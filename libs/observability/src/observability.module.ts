import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { DefaultRegistryLease } from './default-registry.lease';
import { HTTP_METRICS } from './http-metrics';
import { loggingOptions } from './logging.options';
import { MetricsController } from './metrics.controller';

/**
 * JSON logging and a `/metrics` endpoint for one service: prom-client's default registry with
 * Node's default metrics and every HTTP answer's duration, every series labelled `service`. Features declare their metrics with
 * `make*Provider` and inject them with `@InjectMetric`. Needs a global ConfigModule with LOG_LEVEL.
 */
@Module({})
export class ObservabilityModule {
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
        ...HTTP_METRICS,
      ],
    };
  }
}

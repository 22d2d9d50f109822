import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { loggingOptions } from './logging.options';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

/** JSON logging and a `/metrics` endpoint for one service. Needs a global ConfigModule with LOG_LEVEL. */
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
      ],
      controllers: [MetricsController],
      providers: [{ provide: MetricsRegistry, useValue: new MetricsRegistry(service) }],
      exports: [MetricsRegistry],
    };
  }
}

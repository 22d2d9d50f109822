import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaModule, parseBrokerList } from '@event-hub/kafka';
import { ObservabilityModule } from '@event-hub/observability';
import { PersistenceModule } from '@event-hub/persistence';
import { configModuleFor } from '@event-hub/service-runtime';
import { ProcessorEnvironment } from './config/processor.environment';
import { HealthController } from './health/health.controller';

type Config = ConfigService<ProcessorEnvironment, true>;

@Module({})
export class ProcessorModule {
  static forRoot(): DynamicModule {
    return {
      module: ProcessorModule,
      imports: [
        configModuleFor(ProcessorEnvironment),
        ObservabilityModule.forService('processor'),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        KafkaModule.forRootAsync({
          service: 'processor',
          inject: [ConfigService],
          useFactory: (config: Config) => ({
            brokers: parseBrokerList(config.get('KAFKA_BROKERS')),
            clientId: config.get('KAFKA_CLIENT_ID'),
            healthTimeoutMs: config.get('HEALTH_TIMEOUT_MS'),
          }),
        }),
        PersistenceModule.forRootAsync({
          migrationsTableName: 'processor_migrations',
          entities: [],
          migrations: [],
          inject: [ConfigService],
          useFactory: (config: Config) => config.get('DATABASE_URL'),
        }),
      ],
      controllers: [HealthController],
    };
  }
}

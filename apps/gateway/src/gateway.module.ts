import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaModule, parseBrokerList } from '@event-hub/kafka';
import { ObservabilityModule } from '@event-hub/observability';
import { PersistenceModule } from '@event-hub/persistence';
import { configModuleFor } from '@event-hub/service-runtime';
import { GatewayEnvironment } from './config/gateway.environment';
import { HealthController } from './health/health.controller';

type Config = ConfigService<GatewayEnvironment, true>;

@Module({})
export class GatewayModule {
  static forRoot(): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        configModuleFor(GatewayEnvironment),
        ObservabilityModule.forService('gateway'),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        KafkaModule.forRootAsync({
          service: 'gateway',
          inject: [ConfigService],
          useFactory: (config: Config) => ({
            brokers: parseBrokerList(config.get('KAFKA_BROKERS')),
            clientId: config.get('KAFKA_CLIENT_ID'),
            healthTimeoutMs: config.get('HEALTH_TIMEOUT_MS'),
          }),
        }),
        PersistenceModule.forRootAsync({
          migrationsTableName: 'gateway_migrations',
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

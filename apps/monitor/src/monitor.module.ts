import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaModule, parseBrokerList } from '@event-hub/kafka';
import { ObservabilityModule } from '@event-hub/observability';
import { configModuleFor } from '@event-hub/service-runtime';
import { MonitorEnvironment } from './config/monitor.environment';
import { ElasticsearchModule } from './elasticsearch/elasticsearch.module';
import { HealthController } from './health/health.controller';

type Config = ConfigService<MonitorEnvironment, true>;

@Module({})
export class MonitorModule {
  static forRoot(): DynamicModule {
    return {
      module: MonitorModule,
      imports: [
        configModuleFor(MonitorEnvironment),
        ObservabilityModule.forService('monitor'),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        KafkaModule.forRootAsync({
          service: 'monitor',
          inject: [ConfigService],
          useFactory: (config: Config) => ({
            brokers: parseBrokerList(config.get('KAFKA_BROKERS')),
            clientId: config.get('KAFKA_CLIENT_ID'),
            healthTimeoutMs: config.get('HEALTH_TIMEOUT_MS'),
          }),
        }),
        ElasticsearchModule,
      ],
      controllers: [HealthController],
    };
  }
}

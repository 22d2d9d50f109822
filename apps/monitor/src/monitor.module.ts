import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { AUTH_GUARDS, AuthVerificationModule } from '@event-hub/auth';
import { KafkaModule } from '@event-hub/kafka';
import { ObservabilityModule } from '@event-hub/observability';
import { configModuleFor, HealthController, ServiceHealth } from '@event-hub/service-runtime';
import { MonitorEnvironment } from './config/monitor.environment';
import { ElasticsearchModule } from './elasticsearch/elasticsearch.module';
import { MonitorHealth } from './health/monitor-health';
import { MonitorHealthIndicator } from './health/monitor.health-indicator';
import { IngestionModule } from './ingestion/ingestion.module';
import { LogsModule } from './logs/logs.module';

@Module({})
export class MonitorModule {
  static forRoot(): DynamicModule {
    return {
      module: MonitorModule,
      imports: [
        configModuleFor(MonitorEnvironment),
        ObservabilityModule.forService('monitor'),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        CqrsModule.forRoot(),
        KafkaModule.forService('monitor'),
        AuthVerificationModule.forRoot(),
        ElasticsearchModule,
        IngestionModule,
        LogsModule,
      ],
      controllers: [HealthController],
      providers: [
        MonitorHealthIndicator,
        { provide: ServiceHealth, useClass: MonitorHealth },
        ...AUTH_GUARDS,
      ],
    };
  }
}

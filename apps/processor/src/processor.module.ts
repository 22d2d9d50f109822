import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import type { Kafka } from 'kafkajs';
import { KAFKA_CLIENT, KafkaModule } from '@event-hub/kafka';
import { ObservabilityModule } from '@event-hub/observability';
import { PersistenceModule } from '@event-hub/persistence';
import { configModuleFor, HealthController, ServiceHealth } from '@event-hub/service-runtime';
import { USER_DATA_ENTITIES, USER_DATA_MIGRATIONS } from '@event-hub/user-data';
import { BILLING_DATA_ENTITIES, BILLING_DATA_MIGRATIONS } from '@event-hub/billing-data';
import { PIX_DATA_ENTITIES, PIX_DATA_MIGRATIONS } from '@event-hub/pix-data';
import { ACCOUNT_COMMAND_HANDLERS } from './accounts/account-command.handlers';
import { BatchCoalescer } from './command-intake/batch-coalescer';
import { CommandBatchProcessor } from './command-intake/command-batch.processor';
import { CommandConsumer } from './command-intake/command-consumer';
import { CommandDispatcher } from './command-intake/command-dispatcher';
import { ConsumerStatus } from './consumption/consumer-status';
import { ConsumerHealthIndicator } from './consumption/consumer.health-indicator';
import { Inbox } from './command-intake/inbox';
import { ProcessorEnvironment } from './config/processor.environment';
import {
  PROCESSOR_SETTINGS,
  processorSettings,
  type ProcessorSettings,
} from './config/processor.settings';
import { ProcessorHealth } from './health/processor-health';
import { ConsumerLagMonitor } from './metrics/consumer-lag.monitor';
import { PROCESSOR_METRICS, ProcessorMetrics } from './metrics/processor.metrics';
import { KafkaOutboxRelayRunner } from './pix/relays/kafka-outbox-relay.runner';
import { antifraudLimits } from './pix/antifraud/antifraud-limits';
import { AntifraudStage } from './pix/antifraud/antifraud.stage';
import { PixLedger } from './pix/ledger/pix-ledger';
import { PaymentRequestedConsumer } from './pix/stages/payment-requested.consumer';
import { PaymentValidatedConsumer } from './pix/stages/payment-validated.consumer';
import { PixStageStatuses } from './pix/stages/pix-stage.consumer';
import { PixStageWiring } from './pix/stages/pix-stage.dependencies';
import { PIX_STAGE_METRICS } from './pix/stages/pix-stage.metrics';
import { PixStagesHealthIndicator } from './pix/stages/pix-stages.health-indicator';
import { RabbitOutboxRelayRunner } from './pix/relays/rabbit-outbox-relay.runner';
import { OutboxBacklogMonitor } from './pix/relays/outbox-backlog.monitor';
import { PixRelayHealthIndicator } from './pix/relays/pix-relay.health-indicator';
import { PixOutboxSignal } from './pix/relays/outbox-signal';
import { PIX_RELAY_METRICS } from './pix/relays/pix-relay.metrics';
import { PIX_RELAY_SETTINGS, pixRelaySettings } from './pix/relays/pix-relay.settings';
import { TransactionContext } from './transactions/transaction-context';
import { USAGE_SETTINGS, type UsageSettings } from './usage/usage-settings';
import { UsageModule } from './usage/usage.module';
import { CreateSubscriptionHandler } from './users/commands/create-subscription/create-subscription.handler';
import { CreateUserHandler } from './users/commands/create-user/create-user.handler';
import { CreateUsersHandler } from './users/commands/create-users/create-users.handler';
import { RecordPaymentHandler } from './users/commands/record-payment/record-payment.handler';
import { UpdatePreferencesHandler } from './users/commands/update-preferences/update-preferences.handler';
import { DomainEventsHandler } from './users/events/domain-events.handler';
import { UsersWriteRepository } from './users/persistence/users-write.repository';

type Config = ConfigService<ProcessorEnvironment, true>;

const USAGE_LAG_MONITOR = Symbol('USAGE_LAG_MONITOR');

@Module({})
export class ProcessorModule {
  static forRoot(): DynamicModule {
    return {
      module: ProcessorModule,
      imports: [
        configModuleFor(ProcessorEnvironment),
        ObservabilityModule.forService('processor'),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        CqrsModule.forRoot(),
        KafkaModule.forService('processor'),
        // The processor owns the user, billing and PIX tables: it is the only service that runs
        // their migrations (PIX's after the users', since an account references its user).
        PersistenceModule.forRootAsync({
          migrationsTableName: 'processor_migrations',
          entities: [...USER_DATA_ENTITIES, ...BILLING_DATA_ENTITIES, ...PIX_DATA_ENTITIES],
          migrations: [...USER_DATA_MIGRATIONS, ...BILLING_DATA_MIGRATIONS, ...PIX_DATA_MIGRATIONS],
          inject: [ConfigService],
          useFactory: (config: Config) => config.get('DATABASE_URL'),
        }),
        UsageModule,
      ],
      controllers: [
        HealthController,
        CommandConsumer,
        PaymentRequestedConsumer,
        PaymentValidatedConsumer,
      ],
      providers: [
        { provide: ServiceHealth, useClass: ProcessorHealth },
        { provide: PROCESSOR_SETTINGS, inject: [ConfigService], useFactory: processorSettings },
        ...PROCESSOR_METRICS,
        TransactionContext,
        UsersWriteRepository,
        CreateUserHandler,
        CreateUsersHandler,
        CreateSubscriptionHandler,
        RecordPaymentHandler,
        UpdatePreferencesHandler,
        PixLedger,
        ...ACCOUNT_COMMAND_HANDLERS,
        DomainEventsHandler,
        CommandDispatcher,
        Inbox,
        CommandBatchProcessor,
        BatchCoalescer,
        ConsumerStatus,
        ConsumerHealthIndicator,
        ConsumerLagMonitor,
        { provide: PIX_RELAY_SETTINGS, inject: [ConfigService], useFactory: pixRelaySettings },
        ...PIX_RELAY_METRICS,
        PixOutboxSignal,
        KafkaOutboxRelayRunner,
        RabbitOutboxRelayRunner,
        OutboxBacklogMonitor,
        PixRelayHealthIndicator,
        ...PIX_STAGE_METRICS,
        {
          provide: AntifraudStage,
          inject: [PixLedger, ConfigService],
          useFactory: (ledger: PixLedger, config: Config) =>
            new AntifraudStage(ledger, antifraudLimits(config)),
        },
        PixStageStatuses,
        PixStageWiring,
        PixStagesHealthIndicator,
        // The same lag measurement for the usage aggregator's group (its own `group` label).
        {
          provide: USAGE_LAG_MONITOR,
          inject: [KAFKA_CLIENT, PROCESSOR_SETTINGS, USAGE_SETTINGS, ProcessorMetrics],
          useFactory: (
            kafka: Kafka,
            settings: ProcessorSettings,
            usage: UsageSettings,
            metrics: ProcessorMetrics,
          ) =>
            new ConsumerLagMonitor(
              kafka,
              { ...settings, groupId: usage.groupId, commandTopic: usage.topic },
              metrics,
            ),
        },
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { AUTH_ENTITIES, AUTH_GUARDS, AUTH_MIGRATIONS } from '@event-hub/auth';
import { KafkaModule } from '@event-hub/kafka';
import { ObservabilityModule } from '@event-hub/observability';
import { PersistenceModule } from '@event-hub/persistence';
import { configModuleFor, HealthController, ServiceHealth } from '@event-hub/service-runtime';
import {
  PaymentEntity,
  PreferencesEntity,
  SubscriptionEntity,
  UserEntity,
} from '@event-hub/user-data';
import { CommandAcceptor } from './commands/command-acceptor';
import { CommandMetricsInterceptor } from './commands/command-http';
import { CommandProducer } from './commands/command-producer';
import { CommandStatusEntity } from './commands/command-status.entity';
import { CommandStore } from './commands/command-store';
import { IdempotencyCleanup } from './commands/idempotency-cleanup';
import { IdempotencyKeyEntity } from './commands/idempotency-key.entity';
import { OverdueCommandsSweeper } from './commands/overdue-commands-sweeper';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BillingModule } from './billing/billing.module';
import { BILLING_ENTITIES, BILLING_MIGRATIONS } from './billing/billing.data';
import { GatewayEnvironment } from './config/gateway.environment';
import { GatewayHealth } from './health/gateway-health';
import { GATEWAY_METRICS } from './metrics/gateway.metrics';
import { CreateCommandTables1764000000000 } from './migrations/1764000000000-create-command-tables';
import { ScopeCommandsToTenants1764050000000 } from './migrations/1764050000000-scope-commands-to-tenants';
import { CommandDeadlines1764060000000 } from './migrations/1764060000000-command-deadlines';
import { ConsumeModule } from './records/consume/consume.module';
import { ProduceModule } from './records/produce/produce.module';
import { QUOTAS_MIGRATIONS } from './quotas/quotas.data';
import { SCHEMAS_ENTITIES, SCHEMAS_MIGRATIONS } from './schemas/schemas.data';
import { SchemasModule } from './schemas/schemas.module';
import { GatewayErrorsInterceptor } from './shared/http-errors';
import { GetCommandStatusController } from './status/queries/get-command-status/get-command-status.controller';
import { GetCommandStatusHandler } from './status/queries/get-command-status/get-command-status.handler';
import { CommandRepliesConsumer } from './status/replies/command-replies.consumer';
import { CreateSubscriptionController } from './users/commands/create-subscription/create-subscription.controller';
import { CreateSubscriptionHandler } from './users/commands/create-subscription/create-subscription.handler';
import { CreateUserController } from './users/commands/create-user/create-user.controller';
import { CreateUserHandler } from './users/commands/create-user/create-user.handler';
import { RecordPaymentController } from './users/commands/record-payment/record-payment.controller';
import { RecordPaymentHandler } from './users/commands/record-payment/record-payment.handler';
import { UpdatePreferencesController } from './users/commands/update-preferences/update-preferences.controller';
import { UpdatePreferencesHandler } from './users/commands/update-preferences/update-preferences.handler';
import { GetUserController } from './users/queries/get-user/get-user.controller';
import { GetUserHandler } from './users/queries/get-user/get-user.handler';
import { ListUsersController } from './users/queries/list-users/list-users.controller';
import { ListUsersHandler } from './users/queries/list-users/list-users.handler';
import { TOPICS_ENTITIES, TOPICS_MIGRATIONS } from './topics/topics.data';
import { TopicsModule } from './topics/topics.module';

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
        CqrsModule.forRoot(),
        KafkaModule.forService('gateway'),
        PersistenceModule.forRootAsync({
          migrationsTableName: 'gateway_migrations',
          // The user tables belong to the processor (it migrates them); the gateway only reads them.
          entities: [
            CommandStatusEntity,
            IdempotencyKeyEntity,
            UserEntity,
            SubscriptionEntity,
            PaymentEntity,
            PreferencesEntity,
            ...AUTH_ENTITIES,
            ...TOPICS_ENTITIES,
            ...SCHEMAS_ENTITIES,
            ...BILLING_ENTITIES,
          ],
          migrations: [
            CreateCommandTables1764000000000,
            ScopeCommandsToTenants1764050000000,
            CommandDeadlines1764060000000,
            ...AUTH_MIGRATIONS,
            ...TOPICS_MIGRATIONS,
            ...SCHEMAS_MIGRATIONS,
            ...BILLING_MIGRATIONS,
            ...QUOTAS_MIGRATIONS,
          ],
          inject: [ConfigService],
          useFactory: (config: Config) => config.get('DATABASE_URL'),
          // Read from the environment the config module has just validated (the pool size is not
          // part of the factory's options).
          poolSize: Number(process.env['GATEWAY_DB_POOL_SIZE'] ?? 20),
        }),
        AuthModule.forRoot(),
        AdminModule,
        TopicsModule,
        SchemasModule,
        ProduceModule,
        ConsumeModule,
        BillingModule,
      ],
      controllers: [
        HealthController,
        CreateUserController,
        CreateSubscriptionController,
        RecordPaymentController,
        UpdatePreferencesController,
        GetCommandStatusController,
        GetUserController,
        ListUsersController,
      ],
      providers: [
        // Every route needs a valid token but /health, /metrics and the @Public() ones.
        ...AUTH_GUARDS,
        { provide: ServiceHealth, useClass: GatewayHealth },
        { provide: APP_INTERCEPTOR, useClass: GatewayErrorsInterceptor },
        ...GATEWAY_METRICS,
        CommandStore,
        CommandProducer,
        CommandAcceptor,
        CommandMetricsInterceptor,
        IdempotencyCleanup,
        OverdueCommandsSweeper,
        CommandRepliesConsumer,
        CreateUserHandler,
        CreateSubscriptionHandler,
        RecordPaymentHandler,
        UpdatePreferencesHandler,
        GetCommandStatusHandler,
        GetUserHandler,
        ListUsersHandler,
      ],
    };
  }
}

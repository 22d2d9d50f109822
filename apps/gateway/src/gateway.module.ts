import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { AUTH_ENTITIES, AUTH_GUARDS, AUTH_MIGRATIONS } from '@event-hub/auth';
import { KafkaModule } from '@event-hub/kafka';
import { ObservabilityModule } from '@event-hub/observability';
import { PersistenceModule } from '@event-hub/persistence';
import { configModuleFor, HealthController, ServiceHealth } from '@event-hub/service-runtime';
import { AccountsModule } from './accounts/accounts.module';
import { AdminModule } from './admin/admin.module';
import { PixEventsAdminModule } from './admin/pix-events/pix-events.module';
import {
  COMMAND_ACCEPTANCE_ENTITIES,
  COMMAND_ACCEPTANCE_MIGRATIONS,
} from './command-acceptance/command-acceptance.data';
import { CommandAcceptanceModule } from './command-acceptance/command-acceptance.module';
import { AuthModule } from './auth/auth.module';
import { BalancesModule } from './balances/balances.module';
import { BillingModule } from './billing/billing.module';
import { BILLING_ENTITIES, BILLING_MIGRATIONS } from './billing/billing.data';
import { GatewayEnvironment } from './config/gateway.environment';
import { AsyncApiController } from './docs/asyncapi.controller';
import { GatewayHealth } from './health/gateway-health';
import { PIX_MIGRATIONS } from './pix/pix.data';
import { PixModule } from './pix/pix.module';
import { PlatformPageModule } from './platform-page/platform-page.module';
import { ConsumeModule } from './records/consume/consume.module';
import { PRODUCE_ENTITIES, PRODUCE_MIGRATIONS } from './records/produce/produce.data';
import { ProduceModule } from './records/produce/produce.module';
import { QUOTAS_MIGRATIONS } from './quotas/quotas.data';
import { SCHEMAS_ENTITIES, SCHEMAS_MIGRATIONS } from './schemas/schemas.data';
import { SchemasModule } from './schemas/schemas.module';
import { StatusModule } from './status/status.module';
import { TOPICS_ENTITIES, TOPICS_MIGRATIONS } from './topics/topics.data';
import { TopicsModule } from './topics/topics.module';
import { USERS_ENTITIES } from './users/users.data';
import { UsersModule } from './users/users.module';

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
          entities: [
            ...COMMAND_ACCEPTANCE_ENTITIES,
            ...USERS_ENTITIES,
            ...AUTH_ENTITIES,
            ...TOPICS_ENTITIES,
            ...PRODUCE_ENTITIES,
            ...SCHEMAS_ENTITIES,
            ...BILLING_ENTITIES,
          ],
          migrations: [
            ...COMMAND_ACCEPTANCE_MIGRATIONS,
            ...AUTH_MIGRATIONS,
            ...TOPICS_MIGRATIONS,
            ...PRODUCE_MIGRATIONS,
            ...SCHEMAS_MIGRATIONS,
            ...BILLING_MIGRATIONS,
            ...QUOTAS_MIGRATIONS,
            ...PIX_MIGRATIONS,
          ],
          inject: [ConfigService],
          useFactory: (config: Config) => config.get('DATABASE_URL'),
          // Read from the environment the config module has just validated (the pool size is not
          // part of the factory's options).
          poolSize: Number(process.env['GATEWAY_DB_POOL_SIZE'] ?? 20),
        }),
        AuthModule.forRoot(),
        CommandAcceptanceModule,
        UsersModule,
        AccountsModule,
        StatusModule,
        AdminModule,
        TopicsModule,
        SchemasModule,
        ProduceModule,
        ConsumeModule,
        BillingModule,
        PlatformPageModule,
        BalancesModule,
        PixModule,
        PixEventsAdminModule,
      ],
      controllers: [HealthController, AsyncApiController],
      providers: [
        // Every route needs a valid token but /health, /metrics and the @Public() ones.
        ...AUTH_GUARDS,
        { provide: ServiceHealth, useClass: GatewayHealth },
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CreateClientController } from './clients/commands/create-client/create-client.controller';
import { CreateClientHandler } from './clients/commands/create-client/create-client.handler';
import { RevokeClientController } from './clients/commands/revoke-client/revoke-client.controller';
import { RevokeClientHandler } from './clients/commands/revoke-client/revoke-client.handler';
import { RotateClientSecretController } from './clients/commands/rotate-client-secret/rotate-client-secret.controller';
import { RotateClientSecretHandler } from './clients/commands/rotate-client-secret/rotate-client-secret.handler';
import { ListClientsController } from './clients/queries/list-clients/list-clients.controller';
import { ListClientsHandler } from './clients/queries/list-clients/list-clients.handler';
import { AdminErrorsInterceptor } from './shared/admin-errors.interceptor';
import { CreateTenantController } from './tenants/commands/create-tenant/create-tenant.controller';
import { CreateTenantHandler } from './tenants/commands/create-tenant/create-tenant.handler';
import { SetTenantStatusController } from './tenants/commands/set-tenant-status/set-tenant-status.controller';
import { SetTenantStatusHandler } from './tenants/commands/set-tenant-status/set-tenant-status.handler';
import { ListTenantsController } from './tenants/queries/list-tenants/list-tenants.controller';
import { ListTenantsHandler } from './tenants/queries/list-tenants/list-tenants.handler';

/**
 * `/admin`: tenants and API clients, `admin` scope only. Needs AuthModule (its services are
 * global) and the root module's CqrsModule.forRoot().
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    CreateTenantController,
    ListTenantsController,
    SetTenantStatusController,
    CreateClientController,
    ListClientsController,
    RotateClientSecretController,
    RevokeClientController,
  ],
  providers: [
    AdminErrorsInterceptor,
    CreateTenantHandler,
    ListTenantsHandler,
    SetTenantStatusHandler,
    CreateClientHandler,
    ListClientsHandler,
    RotateClientSecretHandler,
    RevokeClientHandler,
  ],
})
export class AdminModule {}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantsService, type TenantView } from '@event-hub/auth';
import { SetTenantStatusCommand } from './set-tenant-status.command';

@CommandHandler(SetTenantStatusCommand)
export class SetTenantStatusHandler implements ICommandHandler<SetTenantStatusCommand, TenantView> {
  constructor(private readonly tenants: TenantsService) {}

  execute({ tenantId, disabled }: SetTenantStatusCommand): Promise<TenantView> {
    return this.tenants.setDisabled(tenantId, disabled);
  }
}

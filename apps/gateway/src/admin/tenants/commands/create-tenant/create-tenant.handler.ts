import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantsService, type TenantView } from '@event-hub/auth';
import { CreateTenantCommand } from './create-tenant.command';

@CommandHandler(CreateTenantCommand)
export class CreateTenantHandler implements ICommandHandler<CreateTenantCommand, TenantView> {
  constructor(private readonly tenants: TenantsService) {}

  execute({ id, name, limits }: CreateTenantCommand): Promise<TenantView> {
    return this.tenants.create({ id, name, limits });
  }
}

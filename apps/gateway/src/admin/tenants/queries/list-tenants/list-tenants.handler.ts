import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantsService, type TenantView } from '@event-hub/auth';
import { ListTenantsQuery } from './list-tenants.query';

@QueryHandler(ListTenantsQuery)
export class ListTenantsHandler implements IQueryHandler<ListTenantsQuery, TenantView[]> {
  constructor(private readonly tenants: TenantsService) {}

  execute(): Promise<TenantView[]> {
    return this.tenants.list();
  }
}

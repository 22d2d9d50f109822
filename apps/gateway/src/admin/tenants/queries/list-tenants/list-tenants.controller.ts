import { Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../../../shared/admin-route';
import { TenantListResponse, TenantResponse } from '../../../shared/admin.views';
import { ListTenantsQuery } from './list-tenants.query';

@AdminController('tenants')
export class ListTenantsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Every tenant, by id' })
  @ApiOkResponse({ type: TenantListResponse })
  async list(): Promise<TenantListResponse> {
    const tenants = await this.queries.execute(new ListTenantsQuery());
    return { items: tenants.map((tenant) => TenantResponse.of(tenant)) };
  }
}

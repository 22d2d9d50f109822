import { Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../../docs/problem-responses';
import { ApiTenantIdParam, TenantIdParam } from '../../../shared/admin-params';
import { AdminController } from '../../../shared/admin-route';
import { ApiClientListResponse, ApiClientResponse } from '../../../shared/admin.views';
import { ListClientsQuery } from './list-clients.query';

@AdminController('tenants')
export class ListClientsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':tenantId/clients')
  @ApiOperation({
    summary: "A tenant's API clients, revoked ones included",
    description: 'Never includes secrets or their hashes.',
  })
  @ApiTenantIdParam()
  @ApiOkResponse({ type: ApiClientListResponse })
  @ApiProblemResponse(404, 'No such tenant', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/admin/tenants/acme/clients',
      'TENANT.NOT_FOUND',
      'Tenant not found',
      'No tenant "acme"',
    ),
  })
  async list(@TenantIdParam() tenantId: string): Promise<ApiClientListResponse> {
    const clients = await this.queries.execute(new ListClientsQuery(tenantId));
    return { items: clients.map((client) => ApiClientResponse.of(client)) };
  }
}

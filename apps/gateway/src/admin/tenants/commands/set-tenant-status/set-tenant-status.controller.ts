import { Body, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../../docs/problem-responses';
import { ApiTenantIdParam, TenantIdParam } from '../../../shared/admin-params';
import { AdminController } from '../../../shared/admin-route';
import { TenantResponse } from '../../../shared/admin.views';
import { SetTenantStatusCommand } from './set-tenant-status.command';
import { SetTenantStatusDto } from './set-tenant-status.dto';

@AdminController('tenants')
export class SetTenantStatusController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':tenantId')
  @ApiOperation({ summary: 'Disable or enable a tenant' })
  @ApiTenantIdParam()
  @ApiOkResponse({ type: TenantResponse })
  @ApiProblemResponse(404, 'No such tenant', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/admin/tenants/acme',
      'TENANT.NOT_FOUND',
      'Tenant not found',
      'No tenant "acme"',
    ),
  })
  // The body first: see TenantIdPipe.
  async update(
    @Body() body: SetTenantStatusDto,
    @TenantIdParam() tenantId: string,
  ): Promise<TenantResponse> {
    return TenantResponse.of(
      await this.commands.execute(new SetTenantStatusCommand(tenantId, body.disabled)),
    );
  }
}

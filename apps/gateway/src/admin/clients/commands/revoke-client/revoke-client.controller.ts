import { Delete, HttpCode } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../../docs/problem-responses';
import {
  ApiClientIdParam,
  ApiTenantIdParam,
  ClientIdParam,
  TenantIdParam,
} from '../../../shared/admin-params';
import { AdminController } from '../../../shared/admin-route';
import { RevokeClientCommand } from './revoke-client.command';

@AdminController('tenants')
export class RevokeClientController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':tenantId/clients/:clientId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API client',
    description:
      'It gets no more tokens and its issued tokens are refused (within a few seconds on other ' +
      'gateway instances). Revoking a revoked client changes nothing. The client stays listed.',
  })
  @ApiTenantIdParam()
  @ApiClientIdParam()
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblemResponse(404, 'No such tenant, or no such client in it', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/admin/tenants/acme/clients/ehc_x',
      'CLIENT.NOT_FOUND',
      'API client not found',
      'Tenant "acme" has no API client "ehc_x"',
    ),
  })
  async revoke(
    @TenantIdParam() tenantId: string,
    @ClientIdParam() clientId: string,
  ): Promise<void> {
    await this.commands.execute(new RevokeClientCommand(tenantId, clientId));
  }
}

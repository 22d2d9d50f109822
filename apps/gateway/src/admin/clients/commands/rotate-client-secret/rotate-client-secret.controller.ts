import { Body, Header, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../../docs/problem-responses';
import {
  ApiClientIdParam,
  ApiTenantIdParam,
  ClientIdParam,
  TenantIdParam,
} from '../../../shared/admin-params';
import { AdminController } from '../../../shared/admin-route';
import { ApiClientSecretResponse } from '../../../shared/admin.views';
import { RotateClientSecretCommand } from './rotate-client-secret.command';
import { RotateClientSecretDto } from './rotate-client-secret.dto';

@AdminController('tenants')
export class RotateClientSecretController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':tenantId/clients/:clientId/rotate')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Give an API client a new secret',
    description:
      'The old secret stops working at once; the new one is shown this once. Tokens issued ' +
      'before stay valid until they expire unless revokeIssuedTokens is true.',
  })
  @ApiTenantIdParam()
  @ApiClientIdParam()
  @ApiOkResponse({ type: ApiClientSecretResponse })
  @ApiProblemResponse(404, 'No such tenant, or no such client in it', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/admin/tenants/acme/clients/ehc_x/rotate',
      'CLIENT.NOT_FOUND',
      'API client not found',
      'Tenant "acme" has no API client "ehc_x"',
    ),
  })
  @ApiProblemResponse(409, 'The client is revoked', {
    revoked: {
      summary: 'API client revoked',
      value: {
        type: 'https://event-hub.dev/problems/client-revoked',
        title: 'API client revoked',
        status: 409,
        code: 'CLIENT.REVOKED',
        detail: 'API client "ehc_x" is revoked; create a new one',
        instance: '/admin/tenants/acme/clients/ehc_x/rotate',
      },
    },
  })
  // The body first: see TenantIdPipe.
  async rotate(
    @Body() body: RotateClientSecretDto,
    @TenantIdParam() tenantId: string,
    @ClientIdParam() clientId: string,
  ): Promise<ApiClientSecretResponse> {
    const issued = await this.commands.execute(
      new RotateClientSecretCommand(tenantId, clientId, body.revokeIssuedTokens ?? false),
    );
    return ApiClientSecretResponse.issued(issued);
  }
}

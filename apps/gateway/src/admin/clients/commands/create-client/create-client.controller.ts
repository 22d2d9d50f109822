import { Body, Header, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../../docs/problem-responses';
import { ApiTenantIdParam, TenantIdParam } from '../../../shared/admin-params';
import { AdminController } from '../../../shared/admin-route';
import { ApiClientSecretResponse } from '../../../shared/admin.views';
import { CreateClientCommand } from './create-client.command';
import { CreateClientDto } from './create-client.dto';

@AdminController('tenants')
export class CreateClientController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':tenantId/clients')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Create an API client of a tenant',
    description:
      'Answers the client id and its secret. The secret is shown this once: only a slow salted ' +
      'hash is stored. The client gets tokens from POST /oauth/token.',
  })
  @ApiTenantIdParam()
  @ApiCreatedResponse({ type: ApiClientSecretResponse })
  @ApiProblemResponse(
    400,
    'A field is missing or invalid, or admin asked outside the platform tenant',
    {
      validation: PROBLEM_EXAMPLES.validation('/admin/tenants/acme/clients', [
        {
          field: 'body.scopes',
          message:
            'each scope must be one of: events:produce, events:consume, topics:admin, schemas:write, billing:read, admin',
        },
      ]),
    },
  )
  @ApiProblemResponse(404, 'No such tenant', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/admin/tenants/acme/clients',
      'TENANT.NOT_FOUND',
      'Tenant not found',
      'No tenant "acme"',
    ),
  })
  @ApiProblemResponse(409, 'The tenant is disabled', {
    disabled: {
      summary: 'Tenant disabled',
      value: {
        type: 'https://event-hub.dev/problems/tenant-disabled',
        title: 'Tenant disabled',
        status: 409,
        code: 'TENANT.DISABLED',
        detail: 'Tenant "acme" is disabled',
        instance: '/admin/tenants/acme/clients',
      },
    },
  })
  // The body first: see TenantIdPipe.
  async create(
    @Body() body: CreateClientDto,
    @TenantIdParam() tenantId: string,
  ): Promise<ApiClientSecretResponse> {
    const issued = await this.commands.execute(
      new CreateClientCommand(tenantId, body.name, body.scopes),
    );
    return ApiClientSecretResponse.issued(issued);
  }
}

import { Body, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../../docs/problem-responses';
import { AdminController } from '../../../shared/admin-route';
import { TenantResponse } from '../../../shared/admin.views';
import { CreateTenantCommand } from './create-tenant.command';
import { CreateTenantDto } from './create-tenant.dto';

@AdminController('tenants')
export class CreateTenantController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Create a tenant',
    description: 'Limits left out take their defaults. Then create its API clients.',
  })
  @ApiCreatedResponse({ type: TenantResponse })
  @ApiProblemResponse(400, 'A field is missing or invalid', {
    validation: PROBLEM_EXAMPLES.validation('/admin/tenants', [
      {
        field: 'body.id',
        message: 'id must be 2-63 lowercase letters, digits or dashes, not starting with a dash',
      },
    ]),
  })
  @ApiProblemResponse(409, 'A tenant with this id exists', {
    exists: {
      summary: 'Tenant already exists',
      value: {
        type: 'https://event-hub.dev/problems/tenant-already-exists',
        title: 'Tenant already exists',
        status: 409,
        code: 'TENANT.ALREADY_EXISTS',
        detail: 'Tenant "acme" already exists',
        instance: '/admin/tenants',
      },
    },
  })
  async create(@Body() body: CreateTenantDto): Promise<TenantResponse> {
    const tenant = await this.commands.execute(
      new CreateTenantCommand(body.id, body.name, { ...body.limits }),
    );
    return TenantResponse.of(tenant);
  }
}

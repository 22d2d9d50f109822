import { Principal, RequireScopes, type AuthPrincipal } from '@event-hub/auth';
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../docs/problem-responses';
import { UserDetailsView } from '../user.views';
import { GetUserQuery } from './get-user.query';

export class UserLookupParams {
  @ApiProperty({ format: 'uuid', example: '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60' })
  @IsUUID('all')
  id!: string;
}

@ApiTags('users')
@Controller('users')
export class GetUserController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @RequireScopes()
  @ApiOperation({ summary: 'A user with subscriptions, payments and preferences' })
  @ApiOkResponse({ type: UserDetailsView })
  @ApiProblemResponse(400, 'The id is not a UUID', {
    validation: PROBLEM_EXAMPLES.validation('/users/42', [
      { field: 'params.id', message: 'id must be a UUID' },
    ]),
  })
  @ApiProblemResponse(404, 'No such user (yet: a create command may still be PENDING)', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/users/3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60',
      'USER.NOT_FOUND',
      'User not found',
      'No user with id 3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60',
    ),
  })
  get(
    @Param() params: UserLookupParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<UserDetailsView> {
    return this.queries.execute(new GetUserQuery(params.id, caller.tenantId));
  }
}

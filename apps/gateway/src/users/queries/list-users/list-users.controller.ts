import { Principal, RequireScopes, type AuthPrincipal } from '@event-hub/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../docs/problem-responses';
import { UserPageView } from '../user.views';
import { ListUsersQuery } from './list-users.query';

export class ListUsersParams {
  @ApiPropertyOptional({
    example: 'ana.souza@example.com',
    description: 'Exact match, case-insensitive',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}

@ApiTags('users')
@Controller('users')
export class ListUsersController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @RequireScopes()
  @ApiOperation({
    summary: 'Users, a page at a time, optionally filtered by email',
    description: 'Oldest first.',
  })
  @ApiOkResponse({ type: UserPageView })
  @ApiProblemResponse(400, 'A query parameter is invalid', {
    validation: PROBLEM_EXAMPLES.validation('/users?pageSize=500', [
      { field: 'query.pageSize', message: 'pageSize must not be greater than 100' },
    ]),
  })
  list(
    @Query() params: ListUsersParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<UserPageView> {
    return this.queries.execute(
      new ListUsersQuery(caller.tenantId, params.page, params.pageSize, params.email),
    );
  }
}

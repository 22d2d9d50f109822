import { Principal, RequireScopes, type AuthPrincipal } from '@event-hub/auth';
import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../docs/problem-responses';
import { ApiAccountNotFound } from '../../shared/account-docs';
import { AccountIdParam, ApiAccountIdParam } from '../../shared/account-id.params';
import { AccountView } from './account.view';
import { GetAccountQuery } from './get-account.query';

@ApiTags('accounts')
@Controller('accounts')
export class GetAccountController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @RequireScopes()
  @ApiOperation({
    summary: 'An account of the caller’s tenant: user, PIX keys, balance and version',
    description:
      'Read from Postgres, where the processor writes it; accounts of other tenants are 404.',
  })
  @ApiAccountIdParam()
  @ApiOkResponse({ type: AccountView })
  @ApiProblemResponse(400, 'The id is not a UUID', {
    validation: PROBLEM_EXAMPLES.validation('/accounts/42', [
      { field: 'params.id', message: 'id must be a UUID' },
    ]),
  })
  @ApiAccountNotFound('/accounts/5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f')
  get(@AccountIdParam() id: string, @Principal() caller: AuthPrincipal): Promise<AccountView> {
    return this.queries.execute(new GetAccountQuery(id, caller.tenantId));
  }
}

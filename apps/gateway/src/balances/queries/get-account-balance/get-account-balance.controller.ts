import { Principal, RequireScopes, type AuthPrincipal } from '@event-hub/auth';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  ApiProblemResponse,
  PROBLEM_EXAMPLES,
  problemExample,
} from '../../../docs/problem-responses';
import { AccountBalanceView, SaldoView } from './account-balance.view';
import { GetAccountBalanceQuery } from './get-account-balance.query';

export class AccountIdParams {
  @ApiProperty({ example: 'acc-7f3a9c', description: 'The account id (the Kafka key)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id!: string;
}

export class BalanceQueryParams {
  @ApiPropertyOptional({
    minimum: 0,
    example: 42,
    description:
      'Read-your-writes: answer only once the view holds this version or a later one, waiting up ' +
      'to BALANCES_MIN_VERSION_WAIT_MS (5 s); after that 503 BALANCE.VERSION_NOT_YET_VISIBLE.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minVersion?: number;
}

const NOT_FOUND = PROBLEM_EXAMPLES.notFound(
  '/accounts/acc-unknown/balance',
  'BALANCE.ACCOUNT_NOT_FOUND',
  'Unknown account',
  'No balance is known for account acc-unknown',
);
const NOT_READY = problemExample(
  503,
  'BALANCE.VIEW_NOT_READY',
  'Balance view catching up',
  'The balance view is still reading the balance topic; retry shortly',
  '/accounts/acc-7f3a9c/balance',
);

@ApiTags('balances')
@Controller()
export class GetAccountBalanceController {
  constructor(private readonly queries: QueryBus) {}

  @Get('accounts/:id/balance')
  @RequireScopes()
  @ApiOperation({
    summary: 'Balance of an account, from the materialized view of account_balances',
    description:
      'Served from memory by this gateway’s view of the compacted balance topic (any valid token; ' +
      'only the caller’s tenant’s accounts). With `minVersion`, waits until the view holds that ' +
      'version, so a client that saw its payment settled never reads an older balance.',
  })
  @ApiOkResponse({ type: AccountBalanceView })
  @ApiProblemResponse(400, 'minVersion is not a non-negative integer', {
    validation: PROBLEM_EXAMPLES.validation('/accounts/acc-7f3a9c/balance?minVersion=x', [
      { field: 'query.minVersion', message: 'minVersion must be an integer number' },
    ]),
  })
  @ApiProblemResponse(404, 'No balance for this account in the caller’s tenant', {
    notFound: NOT_FOUND,
  })
  @ApiProblemResponse(
    503,
    'The view is catching up after a start, or minVersion was not reached in time (Retry-After: 1)',
    {
      notReady: NOT_READY,
      versionNotVisible: problemExample(
        503,
        'BALANCE.VERSION_NOT_YET_VISIBLE',
        'Balance version not yet visible',
        'Account acc-7f3a9c did not reach version 43 within 5000 ms (the view holds version 42)',
        '/accounts/acc-7f3a9c/balance?minVersion=43',
        { minVersion: 43, currentVersion: 42 },
      ),
    },
  )
  balance(
    @Param() params: AccountIdParams,
    @Query() query: BalanceQueryParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<AccountBalanceView> {
    return this.queries.execute(
      new GetAccountBalanceQuery(params.id, caller.tenantId, query.minVersion),
    );
  }

  @Get('saldo/:id')
  @RequireScopes()
  @ApiOperation({
    summary: 'Seed 003’s balance route: {cliente_id, saldo, timestamp}',
    description:
      'The same view and rules as GET /accounts/{id}/balance, in the shape seed 003’s users ' +
      'read; `saldo` is the exact decimal string.',
  })
  @ApiOkResponse({ type: SaldoView })
  @ApiProblemResponse(404, 'No balance for this account in the caller’s tenant', {
    notFound: NOT_FOUND,
  })
  @ApiProblemResponse(503, 'The view is catching up after a start (Retry-After: 1)', {
    notReady: NOT_READY,
  })
  async saldo(
    @Param() params: AccountIdParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<SaldoView> {
    const view = await this.queries.execute(new GetAccountBalanceQuery(params.id, caller.tenantId));
    return { cliente_id: view.accountId, saldo: view.balance, timestamp: view.asOf };
  }
}

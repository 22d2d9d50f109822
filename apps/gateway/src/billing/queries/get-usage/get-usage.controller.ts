import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../docs/problem-responses';
import { reportScope } from '../../shared/billing-access';
import { toInstant } from '../../shared/billing-params';
import { GetUsageParams } from './get-usage.params';
import { GetUsageQuery } from './get-usage.query';
import { UsageReportView } from './usage-report.view';

@ApiTags('billing')
@Controller('billing')
export class GetUsageController {
  constructor(private readonly queries: QueryBus) {}

  @Get('usage')
  @RequireScopes(SCOPES.billingRead)
  @ApiOperation({
    summary: 'Metered usage and its cost in [from, to), grouped',
    description:
      'Sums of requests, messages and bytes per group, with their cost from the price list in ' +
      'exact decimals: the unrounded parts and total, and the amount due rounded half-up to ' +
      'centavos once, from the exact total. A tenant sees only its own usage; the platform admin ' +
      'sees every tenant, or one with `tenant=`.',
  })
  @ApiOkResponse({ type: UsageReportView })
  @ApiProblemResponse(400, 'A query parameter is invalid, or `to` is not after `from`', {
    validation: PROBLEM_EXAMPLES.validation('/billing/usage?from=2026-11-01&to=2026-10-01', [
      {
        field: 'query.to',
        message: 'to must be later than from and at most 366 days after it',
      },
    ]),
  })
  @ApiProblemResponse(404, 'Another tenant named in `tenant=` by a caller that is not admin', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/billing/usage?from=2026-11-01&to=2026-12-01&tenant=globex',
      'BILLING.TENANT_NOT_FOUND',
      'Tenant not found',
      'No billing for tenant "globex"',
    ),
  })
  usage(
    @Query() params: GetUsageParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<UsageReportView> {
    return this.queries.execute(
      new GetUsageQuery(
        reportScope(caller, params.tenant),
        toInstant(params.from),
        toInstant(params.to),
        params.groupBy,
      ),
    );
  }
}

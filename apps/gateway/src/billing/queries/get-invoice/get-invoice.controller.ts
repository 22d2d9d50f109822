import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../../docs/problem-responses';
import { isPlatformAdmin } from '../../shared/billing-access';
import { GetInvoiceParams, GetInvoicePathParams, currentMonth } from './get-invoice.params';
import { GetInvoiceQuery } from './get-invoice.query';
import { InvoiceView } from './invoice.view';

@ApiTags('billing')
@Controller('billing')
export class GetInvoiceController {
  constructor(private readonly queries: QueryBus) {}

  @Get('invoices/:tenant')
  @RequireScopes(SCOPES.billingRead)
  @ApiOperation({
    summary: 'A tenant’s invoice for a calendar month (UTC)',
    description:
      'Lines per topic and action with requests, messages, bytes and their exact cost, and the ' +
      'total: priced from the month’s summed usage and rounded once, half-up, to centavos. A ' +
      'tenant reads only its own invoice; the platform admin reads any tenant’s.',
  })
  @ApiOkResponse({ type: InvoiceView })
  @ApiProblemResponse(400, 'The tenant id or the month is malformed', {
    validation: PROBLEM_EXAMPLES.validation('/billing/invoices/acme?month=2026-13', [
      { field: 'query.month', message: 'month must be a month as YYYY-MM (1970-01 or later)' },
    ]),
  })
  @ApiProblemResponse(404, 'Another tenant’s invoice (unless platform admin), or no such tenant', {
    notFound: PROBLEM_EXAMPLES.notFound(
      '/billing/invoices/globex?month=2026-11',
      'BILLING.TENANT_NOT_FOUND',
      'Tenant not found',
      'No billing for tenant "globex"',
    ),
  })
  invoice(
    @Param() path: GetInvoicePathParams,
    @Query() params: GetInvoiceParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<InvoiceView> {
    return this.queries.execute(
      new GetInvoiceQuery(
        path.tenant,
        params.month ?? currentMonth(),
        isPlatformAdmin(caller),
        caller.tenantId,
      ),
    );
  }
}

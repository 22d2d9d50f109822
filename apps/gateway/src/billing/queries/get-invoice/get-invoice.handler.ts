import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantsService } from '@event-hub/auth';
import { PriceList } from '../../pricing/price-list';
import { BillingTenantNotFoundError } from '../../shared/billing.errors';
import { PriceListView } from '../../shared/billing.views';
import { UsageSums } from '../../shared/usage-sums';
import { addCounts, totalsView } from '../../shared/usage-totals';
import { monthPeriod } from './get-invoice.params';
import { GetInvoiceQuery } from './get-invoice.query';
import type { InvoiceView } from './invoice.view';

@QueryHandler(GetInvoiceQuery)
export class GetInvoiceHandler implements IQueryHandler<GetInvoiceQuery, InvoiceView> {
  constructor(
    private readonly sums: UsageSums,
    private readonly prices: PriceList,
    private readonly tenants: TenantsService,
  ) {}

  async execute({ tenant, month, anyTenant, callerTenant }: GetInvoiceQuery): Promise<InvoiceView> {
    // Another tenant's invoice does not exist for the caller; for the admin, only real tenants do.
    if (tenant !== callerTenant && !anyTenant) throw new BillingTenantNotFoundError(tenant);
    if (tenant !== callerTenant && !(await this.tenants.find(tenant)))
      throw new BillingTenantNotFoundError(tenant);
    const { from, to } = monthPeriod(month);
    const rows = await this.sums.sum({ tenant, from, to, columns: ['topic', 'action'] });
    return {
      tenant,
      month,
      period: { from: from.toISOString(), to: to.toISOString() },
      prices: PriceListView.of(this.prices),
      lines: rows.map((row) => ({
        topic: row.key.topic ?? '',
        action: row.key.action ?? '',
        ...totalsView(row, this.prices),
      })),
      total: totalsView(addCounts(rows), this.prices),
    };
  }
}

import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PriceList } from '../../pricing/price-list';
import { PriceListView } from '../../shared/billing.views';
import { USAGE_GROUPINGS, UsageSums } from '../../shared/usage-sums';
import { addCounts, totalsView } from '../../shared/usage-totals';
import { GetUsageQuery } from './get-usage.query';
import type { UsageGroupKeyView, UsageReportView } from './usage-report.view';

@QueryHandler(GetUsageQuery)
export class GetUsageHandler implements IQueryHandler<GetUsageQuery, UsageReportView> {
  constructor(
    private readonly sums: UsageSums,
    private readonly prices: PriceList,
  ) {}

  async execute({ tenant, from, to, groupBy }: GetUsageQuery): Promise<UsageReportView> {
    const rows = await this.sums.sum({ tenant, from, to, columns: USAGE_GROUPINGS[groupBy] });
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      tenant,
      prices: PriceListView.of(this.prices),
      groups: rows.map((row) => {
        const group: UsageGroupKeyView = {};
        if (row.key.tenant !== undefined) group.tenant = row.key.tenant;
        if (row.key.client_id !== undefined) group.client = row.key.client_id;
        if (row.key.topic !== undefined) group.topic = row.key.topic;
        if (row.key.action !== undefined) group.action = row.key.action;
        return { group, ...totalsView(row, this.prices) };
      }),
      total: totalsView(addCounts(rows), this.prices),
    };
  }
}

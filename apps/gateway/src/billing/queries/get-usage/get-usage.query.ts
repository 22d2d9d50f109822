import { Query } from '@nestjs/cqrs';
import type { UsageGrouping } from '../../shared/usage-sums';
import type { UsageReportView } from './usage-report.view';

export class GetUsageQuery extends Query<UsageReportView> {
  constructor(
    /** `null`: every tenant (platform admin only; the controller decides). */
    readonly tenant: string | null,
    readonly from: Date,
    readonly to: Date,
    readonly groupBy: UsageGrouping,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import type { LogVisibility } from '../../log-queries';
import type { LogPageView } from '../../log-record.view';

export interface LogFilters {
  q?: string;
  topic?: string;
  eventType?: string;
  correlationId?: string;
  tenantId?: string;
  from?: string;
  to?: string;
}

/** A page of the records the caller may see matching the filters, newest first. */
export class SearchLogsQuery extends Query<LogPageView> {
  constructor(
    readonly filters: LogFilters,
    readonly page: number,
    readonly pageSize: number,
    readonly visibility: LogVisibility,
  ) {
    super();
  }
}

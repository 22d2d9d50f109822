import { Query } from '@nestjs/cqrs';
import type { InvoiceView } from './invoice.view';

export class GetInvoiceQuery extends Query<InvoiceView> {
  constructor(
    readonly tenant: string,
    /** `YYYY-MM`, a calendar month in UTC. */
    readonly month: string,
    /** Whether the caller may read any tenant's invoice (platform admin). */
    readonly anyTenant: boolean,
    /** The caller's own tenant. */
    readonly callerTenant: string,
  ) {
    super();
  }
}

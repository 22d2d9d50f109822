import { Query } from '@nestjs/cqrs';
import type { RecentCommandsView } from './recent-commands.view';

export class RecentCommandsQuery extends Query<RecentCommandsView> {
  constructor(
    /** Only this tenant's commands; null (operators with the admin scope) for every tenant's. */
    readonly tenantId: string | null,
    readonly limit: number,
  ) {
    super();
  }
}

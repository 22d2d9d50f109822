import { Query } from '@nestjs/cqrs';
import type { VersionListView } from '../../shared/schema.views';

export class ListVersionsQuery extends Query<VersionListView> {
  constructor(
    readonly tenantId: string,
    readonly subject: string,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import type { ApiClientView } from '@event-hub/auth';

export class ListClientsQuery extends Query<ApiClientView[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}

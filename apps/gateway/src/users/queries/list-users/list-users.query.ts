import { Query } from '@nestjs/cqrs';
import type { UserPageView } from '../user.views';

export class ListUsersQuery extends Query<UserPageView> {
  constructor(
    readonly tenantId: string,
    readonly page: number,
    readonly pageSize: number,
    readonly email?: string,
  ) {
    super();
  }
}

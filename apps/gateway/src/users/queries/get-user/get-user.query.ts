import { Query } from '@nestjs/cqrs';
import type { UserDetailsView } from '../user.views';

export class GetUserQuery extends Query<UserDetailsView> {
  constructor(
    readonly userId: string,
    readonly tenantId: string,
  ) {
    super();
  }
}

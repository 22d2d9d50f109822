import { Query } from '@nestjs/cqrs';
import type { AccountBalanceView } from './account-balance.view';

export class GetAccountBalanceQuery extends Query<AccountBalanceView> {
  constructor(
    readonly accountId: string,
    /** Another tenant's account is as unknown as one that does not exist. */
    readonly tenantId: string,
    /** Wait (bounded) until the view holds this version or a later one. */
    readonly minVersion?: number,
  ) {
    super();
  }
}

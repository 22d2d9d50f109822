import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ConfigService } from '@nestjs/config';
import type { AccountBalanceRecord } from '@event-hub/contracts';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import { BalanceViewService } from '../../balance-view.service';
import {
  AccountNotFoundError,
  BalancesNotReadyError,
  BalanceVersionNotVisibleError,
} from '../../balances.errors';
import type { AccountBalanceView } from './account-balance.view';
import { GetAccountBalanceQuery } from './get-account-balance.query';

@QueryHandler(GetAccountBalanceQuery)
export class GetAccountBalanceHandler implements IQueryHandler<
  GetAccountBalanceQuery,
  AccountBalanceView
> {
  private readonly waitMs: number;

  constructor(
    private readonly balances: BalanceViewService,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.waitMs = config.get('BALANCES_MIN_VERSION_WAIT_MS', { infer: true });
  }

  async execute(query: GetAccountBalanceQuery): Promise<AccountBalanceView> {
    const view = this.balances.view;
    let record: AccountBalanceRecord | undefined;
    if (query.minVersion === undefined) {
      if (!view.current().ready) throw new BalancesNotReadyError();
      record = view.get(query.accountId);
    } else {
      const known = view.get(query.accountId);
      // Another tenant's account answers 404 at once, without waiting for a version of it.
      if (known && known.tenantId !== query.tenantId)
        throw new AccountNotFoundError(query.accountId);
      record = await view.waitForVersion(query.accountId, query.minVersion, this.waitMs);
      if (record === undefined) {
        const current = view.get(query.accountId);
        if (current && current.tenantId !== query.tenantId) {
          throw new AccountNotFoundError(query.accountId);
        }
        throw new BalanceVersionNotVisibleError(
          query.accountId,
          query.minVersion,
          this.waitMs,
          current?.version,
        );
      }
    }
    if (!record || record.tenantId !== query.tenantId) {
      throw new AccountNotFoundError(query.accountId);
    }
    return {
      accountId: record.accountId,
      balance: record.balance,
      version: record.version,
      asOf: record.updatedAt,
    };
  }
}

import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PixKeyType } from '@event-hub/pix-data';
import { AccountNotFoundError } from '../../shared/account-errors';
import type { AccountView } from './account.view';

export class GetAccountQuery extends Query<AccountView> {
  constructor(
    readonly accountId: string,
    readonly tenantId: string,
  ) {
    super();
  }
}

interface AccountRow {
  id: string;
  user_id: string;
  user_name: string;
  balance: string;
  version: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

/** Reads the account from Postgres (the processor's tables), so it is as fresh as a write. */
@QueryHandler(GetAccountQuery)
export class GetAccountHandler implements IQueryHandler<GetAccountQuery, AccountView> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ accountId, tenantId }: GetAccountQuery): Promise<AccountView> {
    const [[account], keys] = await Promise.all([
      this.db.query<AccountRow[]>(
        `SELECT a.id, a.user_id, u.name AS user_name, a.balance, a.version, a.created_at, a.updated_at, a.closed_at
         FROM accounts a JOIN users u ON u.id = a.user_id
         WHERE a.id = $1 AND a.tenant_id = $2`,
        [accountId, tenantId],
      ),
      this.db.query<{ type: PixKeyType; value: string; blocked: boolean }[]>(
        `SELECT type, value, blocked FROM pix_keys WHERE account_id = $1 AND tenant_id = $2
         ORDER BY created_at, type, value`,
        [accountId, tenantId],
      ),
    ]);
    if (!account) throw new AccountNotFoundError(accountId);
    return {
      id: account.id,
      user: { id: account.user_id, name: account.user_name },
      keys,
      balance: account.balance,
      version: Number(account.version),
      createdAt: account.created_at.toISOString(),
      updatedAt: account.updated_at.toISOString(),
      closedAt: account.closed_at?.toISOString() ?? null,
    };
  }
}

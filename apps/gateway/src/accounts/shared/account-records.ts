import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { findTakenPixKeys } from '@event-hub/pix-data';
import { AccountNotFoundError } from './account-errors';

/**
 * What the account routes read of the processor's tables before producing a command: the gateway
 * refuses what it can already see is wrong (unknown user, taken key, unknown account) with a 4xx
 * naming it; the processor checks the same again when it applies the command.
 */
@Injectable()
export class AccountRecords {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async userExists(userId: string, tenantId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM users WHERE id = $1 AND tenant_id = $2',
      [userId, tenantId],
    );
    return rows.length > 0;
  }

  /** Which of these keys are registered in the tenant already. */
  takenKeys(
    tenantId: string,
    keys: { type: string; value: string }[],
  ): Promise<{ type: string; value: string }[]> {
    return findTakenPixKeys(this.db, tenantId, keys);
  }

  /**
   * The tenant of an account, for operator routes: a platform operator's token belongs to the
   * platform tenant, and the command must act in the account's own.
   */
  async tenantOf(accountId: string): Promise<string> {
    const [row]: { tenant_id: string }[] = await this.db.query(
      'SELECT tenant_id FROM accounts WHERE id = $1',
      [accountId],
    );
    if (!row) throw new AccountNotFoundError(accountId);
    return row.tenant_id;
  }
}

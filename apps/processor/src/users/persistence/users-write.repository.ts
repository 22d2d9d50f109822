import { Injectable } from '@nestjs/common';
import type {
  CreateSubscriptionData,
  CreateUserData,
  RecordPaymentData,
} from '@event-hub/contracts';
import { TransactionContext } from '../../transactions/transaction-context';

export interface UserClash {
  sameId: boolean;
  sameEmail: boolean;
  sameDocument: boolean;
}

/**
 * Writes of the user domain, inside the current command's transaction. Inserts are conditional
 * (`ON CONFLICT DO NOTHING`, `WHERE EXISTS`) so that a broken rule shows as "nothing written"
 * instead of a failed statement: a failed statement would abort the whole batch transaction.
 * Handlers then ask why, and turn the answer into a business error.
 */
@Injectable()
export class UsersWriteRepository {
  constructor(private readonly tx: TransactionContext) {}

  /**
   * Inserts users in the given order, each only if nothing clashes with it (`ON CONFLICT DO
   * NOTHING`, which also covers rows of the same statement): one statement, so one round trip for
   * all. Answers, per user, whether it was inserted.
   */
  async insertUsers(users: { user: CreateUserData; tenantId: string }[]): Promise<boolean[]> {
    const rows = await this.tx
      .current()
      .query<{ id: string; tenant_id: string; email: string; document: string }>(
        `INSERT INTO users (id, tenant_id, name, email, document)
         SELECT u.id, u.tenant_id, u.name, u.email, u.document
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
             WITH ORDINALITY AS u(id, tenant_id, name, email, document, position)
          ORDER BY u.position
         ON CONFLICT DO NOTHING RETURNING id, tenant_id, email, document`,
        [
          users.map((u) => u.user.userId),
          users.map((u) => u.tenantId),
          users.map((u) => u.user.name),
          users.map((u) => u.user.email),
          users.map((u) => u.user.document),
        ],
      );
    // RETURNING cannot name the list position, so a row is matched by what could clash: of users
    // alike in id, tenant, email and document only the first can have been inserted (the others
    // clash with it, or with whatever refused it). The id alone would not do: a user refused for
    // its email leaves its id free for a later one. Postgres answers uuids in lower case.
    const insertedRows = new Map<string, number>();
    for (const row of rows) {
      const key = clashKey(row.id, row.tenant_id, row.email, row.document);
      insertedRows.set(key, (insertedRows.get(key) ?? 0) + 1);
    }
    return users.map(({ user, tenantId }) => {
      const key = clashKey(user.userId.toLowerCase(), tenantId, user.email, user.document);
      const left = insertedRows.get(key) ?? 0;
      if (left > 0) insertedRows.set(key, left - 1);
      return left > 0;
    });
  }

  /** What an existing user shares with this one; `ignoredIds` are left out of the comparison. */
  async findUserClash(
    user: CreateUserData,
    tenantId: string,
    ignoredIds: string[] = [],
  ): Promise<UserClash> {
    const rows = await this.tx
      .current()
      .query<{ same_id: boolean; same_email: boolean; same_document: boolean }>(
        `SELECT id = $1 AS same_id,
                tenant_id = $4 AND lower(email) = lower($2) AS same_email,
                tenant_id = $4 AND document = $3 AS same_document
         FROM users
         WHERE (id = $1 OR (tenant_id = $4 AND (lower(email) = lower($2) OR document = $3)))
           AND id <> ALL($5::uuid[])`,
        [user.userId, user.email, user.document, tenantId, ignoredIds],
      );
    return {
      sameId: rows.some((r) => r.same_id),
      sameEmail: rows.some((r) => r.same_email),
      sameDocument: rows.some((r) => r.same_document),
    };
  }

  async userExists(userId: string, tenantId: string): Promise<boolean> {
    const rows = await this.tx
      .current()
      .query('SELECT 1 FROM users WHERE id = $1 AND tenant_id = $2', [userId, tenantId]);
    return rows.length > 0;
  }

  /** Inserts an active subscription when the user exists and has no active one on the plan. */
  async insertActiveSubscription(
    subscription: CreateSubscriptionData,
    tenantId: string,
  ): Promise<boolean> {
    const rows = await this.tx.current().query(
      `INSERT INTO subscriptions (id, user_id, plan, billing_cycle, start_date, status)
       SELECT $1::uuid, $2::uuid, $3, $4, $5::date, 'active'
        WHERE EXISTS (SELECT 1 FROM users WHERE id = $2::uuid AND tenant_id = $6)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        subscription.subscriptionId,
        subscription.userId,
        subscription.plan,
        subscription.billingCycle,
        subscription.startDate,
        tenantId,
      ],
    );
    return rows.length === 1;
  }

  /** Subscription ids are global, whichever tenant holds one. */
  async subscriptionExists(subscriptionId: string): Promise<boolean> {
    const rows = await this.tx
      .current()
      .query('SELECT 1 FROM subscriptions WHERE id = $1', [subscriptionId]);
    return rows.length > 0;
  }

  /** The subscription's user, when the subscription exists in this tenant. */
  async findSubscriptionOwner(
    subscriptionId: string,
    tenantId: string,
  ): Promise<string | undefined> {
    const rows = await this.tx.current().query<{ user_id: string }>(
      `SELECT s.user_id FROM subscriptions s JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 AND u.tenant_id = $2`,
      [subscriptionId, tenantId],
    );
    return rows[0]?.user_id;
  }

  /** Inserts a payment when the user exists and the subscription, if any, is theirs. */
  async insertPayment(
    payment: RecordPaymentData,
    amount: string,
    tenantId: string,
  ): Promise<boolean> {
    const rows = await this.tx.current().query(
      `INSERT INTO payments (id, user_id, subscription_id, amount, currency, method)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::numeric, $5, $6
        WHERE EXISTS (SELECT 1 FROM users WHERE id = $2::uuid AND tenant_id = $7)
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM subscriptions WHERE id = $3::uuid AND user_id = $2::uuid))
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        payment.paymentId,
        payment.userId,
        payment.subscriptionId ?? null,
        amount,
        payment.currency,
        payment.method,
        tenantId,
      ],
    );
    return rows.length === 1;
  }

  async paymentExists(paymentId: string): Promise<boolean> {
    const rows = await this.tx.current().query('SELECT 1 FROM payments WHERE id = $1', [paymentId]);
    return rows.length > 0;
  }

  /** Replaces the user's preferences when the user exists. */
  async replacePreferences(
    userId: string,
    settings: Record<string, unknown>,
    tenantId: string,
  ): Promise<boolean> {
    const rows = await this.tx.current().query(
      `INSERT INTO preferences (user_id, settings, updated_at)
       SELECT $1::uuid, $2::jsonb, now()
        WHERE EXISTS (SELECT 1 FROM users WHERE id = $1::uuid AND tenant_id = $3)
       ON CONFLICT (user_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at
       RETURNING user_id`,
      [userId, JSON.stringify(settings), tenantId],
    );
    return rows.length === 1;
  }
}

function clashKey(id: string, tenantId: string, email: string, document: string): string {
  return JSON.stringify([id, tenantId, email, document]);
}

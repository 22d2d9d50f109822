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

  async insertUser(user: CreateUserData): Promise<boolean> {
    const rows = await this.tx
      .current()
      .query(
        'INSERT INTO users (id, name, email, document) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id',
        [user.userId, user.name, user.email, user.document],
      );
    return rows.length === 1;
  }

  async findUserClash(user: CreateUserData): Promise<UserClash> {
    const rows = await this.tx
      .current()
      .query<{ same_id: boolean; same_email: boolean; same_document: boolean }>(
        `SELECT id = $1 AS same_id, lower(email) = lower($2) AS same_email, document = $3 AS same_document
         FROM users WHERE id = $1 OR lower(email) = lower($2) OR document = $3`,
        [user.userId, user.email, user.document],
      );
    return {
      sameId: rows.some((r) => r.same_id),
      sameEmail: rows.some((r) => r.same_email),
      sameDocument: rows.some((r) => r.same_document),
    };
  }

  async userExists(userId: string): Promise<boolean> {
    const rows = await this.tx.current().query('SELECT 1 FROM users WHERE id = $1', [userId]);
    return rows.length > 0;
  }

  /** Inserts an active subscription when the user exists and has no active one on the plan. */
  async insertActiveSubscription(subscription: CreateSubscriptionData): Promise<boolean> {
    const rows = await this.tx.current().query(
      `INSERT INTO subscriptions (id, user_id, plan, billing_cycle, start_date, status)
       SELECT $1::uuid, $2::uuid, $3, $4, $5::date, 'active'
        WHERE EXISTS (SELECT 1 FROM users WHERE id = $2::uuid)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        subscription.subscriptionId,
        subscription.userId,
        subscription.plan,
        subscription.billingCycle,
        subscription.startDate,
      ],
    );
    return rows.length === 1;
  }

  async findSubscriptionOwner(subscriptionId: string): Promise<string | undefined> {
    const rows = await this.tx
      .current()
      .query<{ user_id: string }>('SELECT user_id FROM subscriptions WHERE id = $1', [
        subscriptionId,
      ]);
    return rows[0]?.user_id;
  }

  /** Inserts a payment when the user exists and the subscription, if any, is theirs. */
  async insertPayment(payment: RecordPaymentData, amount: string): Promise<boolean> {
    const rows = await this.tx.current().query(
      `INSERT INTO payments (id, user_id, subscription_id, amount, currency, method)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::numeric, $5, $6
        WHERE EXISTS (SELECT 1 FROM users WHERE id = $2::uuid)
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM subscriptions WHERE id = $3::uuid AND user_id = $2::uuid))
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        payment.paymentId,
        payment.userId,
        payment.subscriptionId ?? null,
        amount,
        payment.currency,
        payment.method,
      ],
    );
    return rows.length === 1;
  }

  async paymentExists(paymentId: string): Promise<boolean> {
    const rows = await this.tx.current().query('SELECT 1 FROM payments WHERE id = $1', [paymentId]);
    return rows.length > 0;
  }

  /** Replaces the user's preferences when the user exists. */
  async replacePreferences(userId: string, settings: Record<string, unknown>): Promise<boolean> {
    const rows = await this.tx.current().query(
      `INSERT INTO preferences (user_id, settings, updated_at)
       SELECT $1::uuid, $2::jsonb, now() WHERE EXISTS (SELECT 1 FROM users WHERE id = $1::uuid)
       ON CONFLICT (user_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at
       RETURNING user_id`,
      [userId, JSON.stringify(settings)],
    );
    return rows.length === 1;
  }
}

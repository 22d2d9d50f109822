import type { DataSource, EntityManager } from 'typeorm';
import type { PixLedger } from '../ledger/pix-ledger';
import { inTransaction } from '../ledger/retry-conflicts';
import { NIGHT, decide, type AntifraudLimits, type PaymentFacts } from './antifraud-rules';

export type AntifraudOutcome = 'validated' | 'rejected' | 'already-decided';

interface RequestedPayment {
  tenant_id: string;
  payer_account_id: string;
  receiver_key_type: string;
  receiver_key_value: string;
  amount: string;
  created_at: Date;
}

/**
 * The antifraud stage on Postgres: reads the facts the rules need and records the decision in one
 * transaction, holding the payer's account row locked, so two payments of one payer are judged one
 * after the other (the daily limit and velocity see each other) and a redelivered request is judged
 * once.
 */
export class AntifraudStage {
  constructor(
    private readonly source: DataSource,
    private readonly ledger: PixLedger,
    private readonly limits: AntifraudLimits,
  ) {}

  run(paymentId: string, actor: string): Promise<AntifraudOutcome> {
    return inTransaction(this.source, (m) => this.runIn(m, paymentId, actor));
  }

  /**
   * {@link run} inside the caller's transaction: the stage consumer records the request and judges
   * it in one transaction (one commit per payment less).
   */
  async runIn(m: EntityManager, paymentId: string, actor: string): Promise<AntifraudOutcome> {
    // The payment and the lock of its payer's row in one statement; the facts are read by the
    // next one, whose snapshot is taken once the lock is held.
    const [payment]: RequestedPayment[] = await m.query(
      `SELECT p.tenant_id, p.payer_account_id, p.receiver_key_type, p.receiver_key_value,
         p.amount, p.created_at
       FROM pix_payments p JOIN accounts a ON a.id = p.payer_account_id
       WHERE p.id = $1 AND p.state = 'requested' FOR UPDATE OF a`,
      [paymentId],
    );
    if (!payment) return 'already-decided';
    const facts = await this.facts(m, paymentId, payment);
    const verdict = decide(facts, this.limits);
    return this.ledger.decideIn(
      m,
      paymentId,
      verdict.verdict === 'validated'
        ? { receiverAccountId: verdict.receiverAccountId }
        : { rejectionCode: verdict.code },
      actor,
    );
  }

  private async facts(
    m: EntityManager,
    paymentId: string,
    payment: RequestedPayment,
  ): Promise<PaymentFacts> {
    // One statement for the receiver's key and the payer's history. A closed account's keys stay
    // reserved to it: the key still resolves, to a closed account. Accepted payments only: a
    // rejected one moved no money and does not count.
    const [history]: {
      receiver_account_id: string | null;
      receiver_blocked: boolean | null;
      receiver_closed: boolean | null;
      payer_blocked: boolean;
      payer_closed: boolean;
      sent_today: string;
      recent: number;
    }[] = await m.query(
      `WITH receiver AS (
           SELECT k.account_id, k.blocked, a.closed_at IS NOT NULL AS closed
           FROM pix_keys k JOIN accounts a ON a.id = k.account_id
           WHERE k.tenant_id = $6 AND k.type = $7 AND k.value = $8
         )
         SELECT
           (SELECT account_id FROM receiver) AS receiver_account_id,
           (SELECT blocked FROM receiver) AS receiver_blocked,
           (SELECT closed FROM receiver) AS receiver_closed,
           (SELECT coalesce(bool_or(blocked), false) FROM pix_keys WHERE account_id = $1) AS payer_blocked,
           (SELECT closed_at IS NOT NULL FROM accounts WHERE id = $1) AS payer_closed,
           coalesce(sum(amount) FILTER (
             WHERE created_at >= date_trunc('day', $3::timestamptz AT TIME ZONE $4) AT TIME ZONE $4
           ), 0)::text AS sent_today,
           (count(*) FILTER (
             WHERE created_at > $3::timestamptz - make_interval(mins => $5)
           ))::int AS recent
         FROM pix_payments
         WHERE payer_account_id = $1 AND id <> $2 AND rejection_code IS NULL AND state <> 'requested'`,
      [
        payment.payer_account_id,
        paymentId,
        payment.created_at,
        NIGHT.timeZone,
        this.limits.velocityWindowMinutes,
        payment.tenant_id,
        payment.receiver_key_type,
        payment.receiver_key_value,
      ],
    );
    return {
      amount: payment.amount,
      payerAccountId: payment.payer_account_id,
      receiver:
        history.receiver_account_id !== null
          ? {
              accountId: history.receiver_account_id,
              keyBlocked: history.receiver_blocked === true,
              closed: history.receiver_closed === true,
            }
          : undefined,
      payerClosed: history.payer_closed,
      payerKeyBlocked: history.payer_blocked,
      sentToday: history.sent_today,
      recentPayments: history.recent,
      requestedAt: payment.created_at,
    };
  }
}

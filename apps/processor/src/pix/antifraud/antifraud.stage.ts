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
    return inTransaction(this.source, async (m) => {
      const [payment]: RequestedPayment[] = await m.query(
        `SELECT tenant_id, payer_account_id, receiver_key_type, receiver_key_value, amount, created_at
         FROM pix_payments WHERE id = $1 AND state = 'requested'`,
        [paymentId],
      );
      if (!payment) return 'already-decided';
      await m.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [payment.payer_account_id]);
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
    });
  }

  private async facts(
    m: EntityManager,
    paymentId: string,
    payment: RequestedPayment,
  ): Promise<PaymentFacts> {
    // A closed account's keys stay reserved to it: the key still resolves, to a closed account.
    const [receiver]: { account_id: string; blocked: boolean; closed: boolean }[] = await m.query(
      `SELECT k.account_id, k.blocked, a.closed_at IS NOT NULL AS closed
       FROM pix_keys k JOIN accounts a ON a.id = k.account_id
       WHERE k.tenant_id = $1 AND k.type = $2 AND k.value = $3`,
      [payment.tenant_id, payment.receiver_key_type, payment.receiver_key_value],
    );
    // Accepted payments only: a rejected one moved no money and does not count.
    const [history]: {
      payer_blocked: boolean;
      payer_closed: boolean;
      sent_today: string;
      recent: number;
    }[] = await m.query(
      `SELECT
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
      ],
    );
    return {
      amount: payment.amount,
      payerAccountId: payment.payer_account_id,
      receiver: receiver
        ? { accountId: receiver.account_id, keyBlocked: receiver.blocked, closed: receiver.closed }
        : undefined,
      payerClosed: history.payer_closed,
      payerKeyBlocked: history.payer_blocked,
      sentToday: history.sent_today,
      recentPayments: history.recent,
      requestedAt: payment.created_at,
    };
  }
}

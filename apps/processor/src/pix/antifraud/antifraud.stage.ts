import type { Context } from '@opentelemetry/api';
import type { OutboxRecord } from '../ledger/outbox-records';
import {
  requestColumns,
  type Decision,
  type PaymentRequest,
  type PixLedger,
} from '../ledger/pix-ledger';
import type { PixStatements } from '../ledger/retry-conflicts';
import { fromCents, toCents } from './money';
import { NIGHT, decide, type AntifraudLimits, type PaymentFacts } from './antifraud-rules';

export type AntifraudOutcome = 'validated' | 'rejected' | 'already-decided';

/** What antifraud did with one payment; the rejection code when it rejected it. */
export interface Judgement {
  outcome: AntifraudOutcome;
  rejectionCode?: string;
}

/** A requested payment with the facts the rules need, as one statement reads them. */
interface RequestedPayment {
  id: string;
  tenant_id: string;
  end_to_end_id: string;
  payer_account_id: string;
  amount: string;
  created_at: Date;
  receiver_account_id: string | null;
  receiver_blocked: boolean | null;
  receiver_closed: boolean | null;
  payer_blocked: boolean;
  payer_closed: boolean;
  sent_today: string;
  recent: number;
  /** The transaction's now(): when the decision is recorded. */
  now: Date;
}

/** What {@link AntifraudStage.readNew} reads of a request not recorded yet. */
type NewPaymentFacts = Omit<
  RequestedPayment,
  'tenant_id' | 'end_to_end_id' | 'payer_account_id' | 'created_at'
> & { recorded: boolean };

/** Two requests for one payment id, end-to-end id or idempotency key (client and tenant). */
function sharesKeys(requests: readonly PaymentRequest[]): boolean {
  const seen = new Set<string>();
  for (const r of requests) {
    for (const key of [
      `id ${r.paymentId}`,
      `e2e ${r.endToEndId}`,
      `idem ${JSON.stringify([r.tenantId, r.clientId, r.idempotencyKey])}`,
    ]) {
      if (seen.has(key)) return true;
      seen.add(key);
    }
  }
  return false;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: NIGHT.timeZone });

/**
 * The row a payment's facts are read for: its alias (a row with `id`, `tenant_id` and
 * `payer_account_id`) and the expressions of its receiver key.
 */
interface FactsRow {
  row: string;
  keyType: string;
  keyValue: string;
}

/** The time the payment is judged at, and the parameters holding the rules' zone and window. */
interface FactsClock {
  at: string;
  timeZone: string;
  windowMinutes: string;
}

/**
 * The facts the rules need, as SQL for one statement, whatever the payment row is read from (a
 * recorded payment or a request not recorded yet): the receiver's key (a closed account's keys stay
 * reserved to it: the key still resolves, to a closed account), the payer's blocked keys and
 * closing, and the payer's accepted payments of the day and of the velocity window before `at`.
 * One text for both reads, so a rule's facts cannot change for one and not the other.
 */
function paymentFacts(
  { row, keyType, keyValue }: FactsRow,
  { at, timeZone, windowMinutes }: FactsClock,
): { columns: string; joins: string } {
  return {
    columns: `rk.account_id AS receiver_account_id, rk.blocked AS receiver_blocked,
         rk.closed AS receiver_closed,
         (SELECT coalesce(bool_or(blocked), false) FROM pix_keys
          WHERE account_id = ${row}.payer_account_id) AS payer_blocked,
         (SELECT closed_at IS NOT NULL FROM accounts WHERE id = ${row}.payer_account_id) AS payer_closed,
         h.sent_today, h.recent`,
    joins: `LEFT JOIN LATERAL (
         SELECT k.account_id, k.blocked, a.closed_at IS NOT NULL AS closed
         FROM pix_keys k JOIN accounts a ON a.id = k.account_id
         WHERE k.tenant_id = ${row}.tenant_id AND k.type = ${keyType} AND k.value = ${keyValue}
       ) rk ON true
       CROSS JOIN LATERAL (
         SELECT
           coalesce(sum(h.amount) FILTER (
             WHERE h.created_at >= date_trunc('day', ${at} AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone}
           ), 0)::text AS sent_today,
           (count(*) FILTER (
             WHERE h.created_at > ${at} - make_interval(mins => ${windowMinutes})
           ))::int AS recent
         FROM pix_payments h
         WHERE h.payer_account_id = ${row}.payer_account_id AND h.id <> ${row}.id
           AND h.rejection_code IS NULL AND h.state <> 'requested'
       ) h`,
  };
}

/**
 * The antifraud stage on Postgres: reads the facts the rules need and records the decisions in the
 * transaction that holds the payers' account rows locked, so two payments of one payer are judged
 * one after the other (the daily limit and velocity see each other) and a redelivered request is
 * judged once. A chunk of payments is judged with one read and one write: payments of one payer in
 * the same chunk see those accepted before them in the chunk, as if judged one by one.
 */
export class AntifraudStage {
  constructor(
    private readonly ledger: PixLedger,
    private readonly limits: AntifraudLimits,
  ) {}

  /**
   * Locks the payers' account rows in id order, as every multi-row lock of the PIX write model;
   * returns the ids of those that exist. `FOR NO KEY UPDATE`: the foreign-key checks of other
   * writers (a payment naming the account) do not wait for it, only other lockers do.
   */
  async lockPayers(m: PixStatements, payerIds: readonly string[]): Promise<Set<string>> {
    if (payerIds.length === 0) return new Set();
    const rows: { id: string }[] = await m.query(
      'SELECT id FROM accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE',
      [[...new Set(payerIds)]],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Records and judges the requests of a chunk inside the caller's transaction, which holds their
   * payers' rows locked ({@link lockPayers}), when every one is new: the facts are read for the
   * requests as they came (one statement, which also looks for any payment already holding one's
   * id, end-to-end id or idempotency key), judged as {@link judgeIn} judges, and each payment row
   * is written once, in its decided state ({@link PixLedger.recordDecidedIn}). Answers a judgement
   * per request, in order; or undefined, having written nothing, when a request may not be new (a
   * redelivery, or two requests of the chunk sharing one of those keys): the caller then records
   * them ({@link PixLedger.recordRequestsIn}) and judges what is still requested
   * ({@link judgeIn}), as one by one.
   */
  async recordAndJudgeIn(
    m: PixStatements,
    requests: readonly (PaymentRequest & { actor: string; trace?: Context })[],
    actor: string,
    outbox: OutboxRecord[],
  ): Promise<Judgement[] | undefined> {
    if (requests.length === 0) return [];
    if (sharesKeys(requests)) return undefined;
    const read = await this.readNew(m, requests);
    if (read.length !== requests.length || read.some((row) => row.recorded)) return undefined;
    const facts = new Map(read.map((row) => [row.id, row]));
    const rows: RequestedPayment[] = requests.map((request) => {
      const row = facts.get(request.paymentId) as NewPaymentFacts;
      return {
        ...row,
        tenant_id: request.tenantId,
        end_to_end_id: request.endToEndId,
        payer_account_id: request.payerAccountId,
        created_at: row.now,
      };
    });
    const decisions = this.judge(
      rows,
      requests.map((r) => ({ paymentId: r.paymentId, trace: r.trace })),
    );
    const at = (rows[0] as RequestedPayment).now;
    this.ledger.recordDecidedIn(m, requests, decisions, actor, outbox, at);
    return decisions.map(({ decision }) =>
      'rejectionCode' in decision
        ? { outcome: 'rejected', rejectionCode: decision.rejectionCode }
        : { outcome: 'validated' },
    );
  }

  /**
   * Judges recorded payments inside the caller's transaction, which holds their payers' rows
   * locked ({@link lockPayers}); the decisions' records go to `outbox`. Returns a judgement per
   * payment, in the order given; a payment no longer `requested` is `already-decided`.
   */
  async judgeIn(
    m: PixStatements,
    payments: readonly { paymentId: string; trace?: Context }[],
    actor: string,
    outbox: OutboxRecord[],
  ): Promise<Judgement[]> {
    const requested = await this.read(
      m,
      payments.map((p) => p.paymentId),
    );
    const decisions = this.judge(requested, payments);
    const decided =
      requested.length > 0
        ? this.ledger.decideAllIn(
            m,
            decisions,
            actor,
            outbox,
            (requested[0] as RequestedPayment).now,
          )
        : new Map<string, 'validated' | 'rejected'>();
    const codes = new Map(
      decisions.flatMap((d) =>
        'rejectionCode' in d.decision ? [[d.payment.id, d.decision.rejectionCode] as const] : [],
      ),
    );
    return payments.map(({ paymentId }) => {
      const outcome = decided.get(paymentId);
      if (!outcome) return { outcome: 'already-decided' };
      // A payment twice in the chunk: its first copy got the decision.
      decided.delete(paymentId);
      return outcome === 'rejected'
        ? { outcome, rejectionCode: codes.get(paymentId) as string }
        : { outcome };
    });
  }

  /**
   * The decisions on `rows` (the read facts) in the order of `payments`, each payment once: the
   * payments of a payer accepted earlier in the chunk count for the later ones.
   */
  private judge(
    rows: readonly RequestedPayment[],
    payments: readonly { paymentId: string; trace?: Context }[],
  ): Decision[] {
    const byId = new Map(rows.map((row) => [row.id, row]));
    const accepted: RequestedPayment[] = [];
    const decisions: Decision[] = [];
    for (const { paymentId, trace } of payments) {
      const payment = byId.get(paymentId);
      if (!payment) continue;
      byId.delete(paymentId);
      const verdict = decide(this.facts(payment, accepted), this.limits);
      if (verdict.verdict === 'validated') accepted.push(payment);
      decisions.push({
        payment,
        trace,
        decision:
          verdict.verdict === 'validated'
            ? { receiverAccountId: verdict.receiverAccountId }
            : { rejectionCode: verdict.code },
      });
    }
    return decisions;
  }

  /**
   * The facts of one payment: the payer's history in Postgres (accepted payments of other
   * chunks: a rejected one moved no money, one still `requested` was not judged yet) plus the
   * payments of the payer accepted earlier in this chunk, counted as the statement counts them.
   */
  private facts(payment: RequestedPayment, acceptedInChunk: RequestedPayment[]): PaymentFacts {
    let sentToday = toCents(payment.sent_today);
    let recent = payment.recent;
    const day = dayFormat.format(payment.created_at);
    const windowStart = payment.created_at.getTime() - this.limits.velocityWindowMinutes * 60_000;
    for (const other of acceptedInChunk) {
      if (other.payer_account_id !== payment.payer_account_id) continue;
      if (dayFormat.format(other.created_at) >= day) sentToday += toCents(other.amount);
      if (other.created_at.getTime() > windowStart) recent += 1;
    }
    return {
      amount: payment.amount,
      payerAccountId: payment.payer_account_id,
      receiver:
        payment.receiver_account_id !== null
          ? {
              accountId: payment.receiver_account_id,
              keyBlocked: payment.receiver_blocked === true,
              closed: payment.receiver_closed === true,
            }
          : undefined,
      payerClosed: payment.payer_closed,
      payerKeyBlocked: payment.payer_blocked,
      sentToday: fromCents(sentToday),
      recentPayments: recent,
      requestedAt: payment.created_at,
    };
  }

  /**
   * The facts of requests not recorded yet, as {@link read} reads them of recorded ones (the
   * payment's time being the transaction's `now()`, which its row will get), and whether a payment
   * already holds the request's id, end-to-end id or idempotency key (`recorded`).
   */
  private readNew(
    m: PixStatements,
    requests: readonly PaymentRequest[],
  ): Promise<NewPaymentFacts[]> {
    const facts = paymentFacts(
      { row: 'r', keyType: 'r.key_type', keyValue: 'r.key_value' },
      { at: 'now()', timeZone: '$10', windowMinutes: '$11' },
    );
    return m.query(
      `SELECT r.id, r.amount::numeric(18, 2)::text AS amount, now() AS now, ${facts.columns},
         EXISTS (SELECT 1 FROM pix_payments x WHERE x.id = r.id)
           OR EXISTS (SELECT 1 FROM pix_payments x
                      WHERE x.end_to_end_id = r.end_to_end_id::bpchar)
           OR EXISTS (SELECT 1 FROM pix_payments x
                      WHERE x.tenant_id = r.tenant_id AND x.client_id = r.client_id
                        AND x.idempotency_key = r.idempotency_key) AS recorded
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[],
         $7::text[], $8::text[], $9::text[])
         AS r(id, tenant_id, end_to_end_id, client_id, idempotency_key, payer_account_id,
           key_type, key_value, amount)
       ${facts.joins}`,
      // The requests' columns but the description.
      [...requestColumns(requests).slice(0, 9), NIGHT.timeZone, this.limits.velocityWindowMinutes],
    );
  }

  /** The requested payments among `ids` with their facts ({@link paymentFacts}), in one statement. */
  private read(m: PixStatements, ids: string[]): Promise<RequestedPayment[]> {
    const facts = paymentFacts(
      { row: 'p', keyType: 'p.receiver_key_type', keyValue: 'p.receiver_key_value' },
      { at: 'p.created_at', timeZone: '$2', windowMinutes: '$3' },
    );
    return m.query(
      `SELECT p.id, p.tenant_id, p.end_to_end_id, p.payer_account_id, p.amount, p.created_at,
         ${facts.columns}, now() AS now
       FROM pix_payments p
       ${facts.joins}
       WHERE p.id = ANY($1::uuid[]) AND p.state = 'requested'`,
      [ids, NIGHT.timeZone, this.limits.velocityWindowMinutes],
    );
  }
}

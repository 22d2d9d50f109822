import { Injectable, Optional } from '@nestjs/common';
import type { Context } from '@opentelemetry/api';
import { PIX_ROUTING_KEYS, TOPICS, type AccountBalanceRecord } from '@event-hub/contracts';
import type { AccountEntryKind, PixKeyType, PixPaymentState } from '@event-hub/pix-data';
import { DataSource } from 'typeorm';
import {
  auditRecord,
  balanceRecord,
  balanceTombstone,
  insertOutbox,
  notification,
  stageEvent,
  type OutboxRecord,
} from './outbox-records';
import { PixOutboxSignal, type OutboxDestination } from '../relays/outbox-signal';
import { inTransaction, type PixStatements } from './retry-conflicts';
import { SettlementPlan, type LockedAccount } from './settlement-plan';

export { ACCOUNT_CLOSED, INSUFFICIENT_FUNDS } from './settlement-plan';

export interface OpenAccount {
  accountId: string;
  tenantId: string;
  userId: string;
  keys: { type: PixKeyType; value: string }[];
  actor: string;
}

export type OpenAccountOutcome = 'opened' | 'already-open' | 'unknown-user' | 'key-taken';

export interface BalanceChange {
  /** Id of the request: the same request again changes nothing. */
  entryId: string;
  accountId: string;
  tenantId: string;
  actor: string;
}

export type BalanceChangeOutcome =
  | { outcome: 'applied' | 'already-applied'; balance: string; version: number }
  | { outcome: 'unknown-account' }
  | { outcome: 'closed' };

export interface CloseAccount {
  accountId: string;
  tenantId: string;
  actor: string;
}

export type CloseAccountOutcome =
  | { outcome: 'closed' | 'already-closed'; closedAt: Date }
  | { outcome: 'unknown-account' }
  | { outcome: 'balance-not-zero'; balance: string };

export interface PaymentRequest {
  paymentId: string;
  tenantId: string;
  endToEndId: string;
  clientId: string;
  idempotencyKey: string;
  payerAccountId: string;
  receiverKey: { type: PixKeyType; value: string };
  amount: string;
  description: string | null;
}

export type SettlementOutcome =
  'settled' | 'insufficient-funds' | 'account-closed' | 'already-final' | 'not-validated';

/** What recording a decision needs of a requested payment. */
export interface DecidablePayment {
  id: string;
  tenant_id: string;
  payer_account_id: string;
  amount: string;
  end_to_end_id: string;
}

/** Antifraud's verdict on one payment, with the trace its records continue. */
export interface Decision {
  payment: DecidablePayment;
  decision: { receiverAccountId: string } | { rejectionCode: string };
  trace?: Context;
}

interface PaymentRow extends DecidablePayment {
  state: PixPaymentState;
  receiver_account_id: string | null;
}

/**
 * The PIX write model. Every method is one Postgres transaction that writes its rows AND the
 * records they cause (next stage, audit entry, account_balances) into the outbox, so Postgres and
 * Kafka cannot diverge: the relay publishes what committed and only that.
 */
@Injectable()
export class PixLedger {
  constructor(
    private readonly source: DataSource,
    /** Absent where no relay runs in the process (specs of the ledger alone). */
    @Optional() private readonly outboxSignal?: PixOutboxSignal,
  ) {}

  /**
   * `work` in {@link inTransaction}; once committed, the relays of `destinations` are told (their
   * rows are visible now), so the records leave without waiting for the relay's next poll.
   */
  private async committing<T>(
    destinations: OutboxDestination[],
    work: (m: PixStatements) => Promise<T>,
  ): Promise<T> {
    const result = await inTransaction(this.source, work);
    this.outboxSignal?.committed(...destinations);
    return result;
  }

  openAccount(command: OpenAccount): Promise<OpenAccountOutcome> {
    return this.committing(['kafka'], async (m) => {
      const [user] = await m.query(
        'SELECT 1 FROM users WHERE id = $1 AND tenant_id = $2 FOR KEY SHARE',
        [command.userId, command.tenantId],
      );
      if (!user) return 'unknown-user';
      const inserted: { updated_at: Date }[] = await m.query(
        `INSERT INTO accounts (id, tenant_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO NOTHING RETURNING updated_at`,
        [command.accountId, command.tenantId, command.userId],
      );
      if (inserted.length === 0) return 'already-open';
      for (const key of command.keys) {
        const taken: unknown[] = await m.query(
          `INSERT INTO pix_keys (tenant_id, type, value, account_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [command.tenantId, key.type, key.value, command.accountId],
        );
        // Rolling back the whole account keeps "an account with some of its keys" impossible.
        if (taken.length === 0) throw new KeyTaken();
      }
      const at = inserted[0].updated_at;
      insertOutbox(m, [
        balanceRecord(this.balance(command.accountId, command.tenantId, '0.00', 0, at)),
        auditRecord(
          {
            what: 'account.opened',
            subjectId: command.accountId,
            tenantId: command.tenantId,
            previousState: null,
            newState: 'open',
            actor: command.actor,
          },
          at,
        ),
      ]);
      return 'opened' as const;
    }).catch((error: unknown) => {
      if (error instanceof KeyTaken) return 'key-taken' as const;
      throw error;
    });
  }

  /**
   * Closes the account if its balance is 0.00: marks it closed (it stays, with its ledger; its PIX
   * keys stay reserved to it, so a payer who kept one is refused with ACCOUNT_CLOSED instead of
   * paying whoever registers it next) and writes the tombstone of its `account_balances` key in
   * the same outbox as every balance record, after them. Closing a closed account changes nothing
   * and answers as the first close did.
   */
  closeAccount(command: CloseAccount): Promise<CloseAccountOutcome> {
    return this.committing(['kafka'], async (m) => {
      const [account]: LockedAccount[] = await m.query(
        `SELECT id, tenant_id, balance, version, closed_at FROM accounts
         WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [command.accountId, command.tenantId],
      );
      if (!account) return { outcome: 'unknown-account' as const };
      if (account.closed_at)
        return { outcome: 'already-closed' as const, closedAt: account.closed_at };
      if (!/^0+\.00$/.test(account.balance)) {
        return { outcome: 'balance-not-zero' as const, balance: account.balance };
      }
      const [closed]: { closed_at: Date }[] = await m.query(
        `UPDATE accounts SET closed_at = now(), version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING closed_at`,
        [command.accountId],
      );
      insertOutbox(m, [
        balanceTombstone(command.accountId, command.tenantId),
        auditRecord(
          {
            what: 'account.closed',
            subjectId: command.accountId,
            tenantId: command.tenantId,
            previousState: 'open',
            newState: 'closed',
            actor: command.actor,
          },
          closed.closed_at,
        ),
      ]);
      return { outcome: 'closed' as const, closedAt: closed.closed_at };
    });
  }

  /** An operator credit of `amount` (> 0). */
  deposit(change: BalanceChange & { amount: string }): Promise<BalanceChangeOutcome> {
    return this.changeBalance(change, 'deposit', 'balance + $2::numeric', change.amount, null);
  }

  /** An admin sets the balance absolutely; the reason is kept in the ledger and the audit log. */
  adjust(
    change: BalanceChange & { balance: string; reason: string },
  ): Promise<BalanceChangeOutcome> {
    return this.changeBalance(change, 'adjustment', '$2::numeric', change.balance, change.reason);
  }

  private changeBalance(
    change: BalanceChange,
    kind: AccountEntryKind,
    newBalanceSql: string,
    operand: string,
    reason: string | null,
  ): Promise<BalanceChangeOutcome> {
    return this.committing(['kafka'], async (m) => {
      const [account]: LockedAccount[] = await m.query(
        'SELECT id, tenant_id, balance, version, closed_at FROM accounts WHERE id = $1 AND tenant_id = $2 FOR UPDATE',
        [change.accountId, change.tenantId],
      );
      if (!account) return { outcome: 'unknown-account' as const };
      const [previous]: { balance: string; version: string }[] = await m.query(
        'SELECT balance, version FROM account_entries WHERE id = $1 AND account_id = $2',
        [change.entryId, change.accountId],
      );
      if (previous) {
        return {
          outcome: 'already-applied' as const,
          balance: previous.balance,
          version: Number(previous.version),
        };
      }
      if (account.closed_at) return { outcome: 'closed' as const };
      const [updated]: { balance: string; version: string; updated_at: Date }[] = await m.query(
        `UPDATE accounts SET balance = ${newBalanceSql}, version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING balance, version, updated_at`,
        [change.accountId, operand],
      );
      await m.query(
        `INSERT INTO account_entries (id, account_id, kind, amount, previous_balance, balance, version, actor, reason)
         VALUES ($1, $2, $3, $5::numeric - $4::numeric, $4, $5, $6, $7, $8)`,
        [
          change.entryId,
          change.accountId,
          kind,
          account.balance,
          updated.balance,
          updated.version,
          change.actor,
          reason,
        ],
      );
      insertOutbox(m, [
        balanceRecord(
          this.balance(
            change.accountId,
            change.tenantId,
            updated.balance,
            Number(updated.version),
            updated.updated_at,
          ),
        ),
        auditRecord(
          {
            what: `account.${kind}`,
            subjectId: change.accountId,
            tenantId: change.tenantId,
            previousState: account.balance,
            newState: updated.balance,
            actor: change.actor,
            ...(reason ? { detail: { reason } } : {}),
          },
          updated.updated_at,
        ),
      ]);
      return {
        outcome: 'applied' as const,
        balance: updated.balance,
        version: Number(updated.version),
      };
    });
  }

  /**
   * Records the requests of a chunk in the caller's transaction (the antifraud stage's), with one
   * statement for all of them; their `requested` audit entries go to `outbox`, which the caller
   * inserts. A request already recorded (a redelivery) records nothing. Returns the ids recorded.
   */
  async recordRequestsIn(
    m: PixStatements,
    requests: readonly (PaymentRequest & { actor: string; trace?: Context })[],
    outbox: OutboxRecord[],
  ): Promise<Set<string>> {
    if (requests.length === 0) return new Set();
    // The stage rows are written by the same statement, only for the payment rows that were new.
    const inserted: { id: string; created_at: Date }[] = await m.query(
      `WITH payment AS (
         INSERT INTO pix_payments (id, tenant_id, end_to_end_id, client_id, idempotency_key,
           payer_account_id, receiver_key_type, receiver_key_value, amount, description, state)
         SELECT r.*, 'requested' FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
           $5::text[], $6::uuid[], $7::text[], $8::text[], $9::numeric[], $10::text[]) AS r
         ON CONFLICT DO NOTHING RETURNING id, created_at
       ), stage AS (
         INSERT INTO pix_payment_stages (payment_id, stage, detail)
         SELECT id, 'requested', NULL FROM payment ON CONFLICT DO NOTHING
       )
       SELECT id, created_at FROM payment`,
      requestColumns(requests),
    );
    const createdAt = new Map(inserted.map((row) => [row.id, row.created_at]));
    for (const request of requests) {
      const at = createdAt.get(request.paymentId);
      if (!at) continue;
      // Once: a request twice in one chunk is recorded by its first copy.
      createdAt.delete(request.paymentId);
      outbox.push(
        this.audit(request.paymentId, request.tenantId, null, 'requested', request.actor, at, {
          trace: request.trace,
        }),
      );
    }
    return new Set(inserted.map((row) => row.id));
  }

  /**
   * Antifraud's decision on a requested payment: validated (towards the resolved receiver
   * account, emitting `pix.payment.validated`) or rejected with a stable code.
   */
  decide(
    paymentId: string,
    decision: { receiverAccountId: string } | { rejectionCode: string },
    actor: string,
  ): Promise<'validated' | 'rejected' | 'already-decided'> {
    return this.committing(['kafka', 'rabbitmq'], async (m) => {
      // The payer's row first, as antifraud locks it ({@link decideAllIn}); then, in a statement
      // of its own (a snapshot taken after the lock), the payment.
      await m.query(
        `SELECT a.id FROM accounts a JOIN pix_payments p ON p.payer_account_id = a.id
         WHERE p.id = $1 FOR NO KEY UPDATE OF a`,
        [paymentId],
      );
      const [payment]: (PaymentRow & { at: Date })[] = await m.query(
        `SELECT id, tenant_id, state, payer_account_id, receiver_account_id, amount, end_to_end_id,
           now() AS at
         FROM pix_payments WHERE id = $1`,
        [paymentId],
      );
      if (!payment || payment.state !== 'requested') return 'already-decided' as const;
      const outbox: OutboxRecord[] = [];
      const decided = this.decideAllIn(m, [{ payment, decision }], actor, outbox, payment.at);
      insertOutbox(m, outbox);
      return decided.get(paymentId) ?? ('already-decided' as const);
    });
  }

  /**
   * Records antifraud's decisions on requested payments in the caller's transaction, with one
   * statement for all of them, sent with the COMMIT; their records (`pix.payment.validated` or the
   * rejection's notification, and the audit entries) go to `outbox`. The caller holds the payers'
   * rows locked and read the payments in `requested` in this transaction (every writer that moves
   * a payment out of `requested` holds its payer's row: antifraud alone does), so each one given
   * is moved, once, at `at` (the transaction's `now()`). Returns the decision per payment id.
   */
  decideAllIn(
    m: PixStatements,
    decisions: readonly Decision[],
    actor: string,
    outbox: OutboxRecord[],
    at: Date,
  ): Map<string, 'validated' | 'rejected'> {
    const decided = new Map<string, 'validated' | 'rejected'>();
    const unique = decisions.filter((d) => {
      // A payment twice: its first decision counts.
      if (decided.has(d.payment.id)) return false;
      decided.set(d.payment.id, 'receiverAccountId' in d.decision ? 'validated' : 'rejected');
      return true;
    });
    if (unique.length === 0) return decided;
    const receiverOf = (d: Decision) =>
      'receiverAccountId' in d.decision ? d.decision.receiverAccountId : null;
    const codeOf = (d: Decision) =>
      'rejectionCode' in d.decision ? d.decision.rejectionCode : null;
    // `state = 'requested'` only guards: under the payers' locks no one else moved them.
    m.writeAtCommit(
      `WITH decision AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[])
           AS d(id, state, receiver_account_id, rejection_code)
       ), moved AS (
         UPDATE pix_payments p SET state = d.state, receiver_account_id = d.receiver_account_id,
           rejection_code = d.rejection_code, updated_at = now()
         FROM decision d WHERE p.id = d.id AND p.state = 'requested'
         RETURNING p.id
       )
       INSERT INTO pix_payment_stages (payment_id, stage, detail)
       SELECT d.id, d.state, d.rejection_code FROM moved JOIN decision d ON d.id = moved.id
       ON CONFLICT DO NOTHING`,
      [
        unique.map((d) => d.payment.id),
        unique.map((d) => (receiverOf(d) ? 'validated' : 'rejected')),
        unique.map(receiverOf),
        unique.map(codeOf),
      ],
    );
    for (const d of unique) outbox.push(...this.decisionRecords(d, actor, at));
    return decided;
  }

  /**
   * Records new requests with antifraud's decisions on them in the caller's transaction (the
   * antifraud stage's, holding the payers' rows locked, which read the facts and found none of
   * them recorded): each payment row is inserted in its decided state, with its `requested` and
   * decision stage rows, by one statement sent with the COMMIT. Against recording the request and
   * then moving it, this spares a second row version and its five index entries per payment (the
   * resolved receiver is indexed). Outbox records as {@link recordRequestsIn} then
   * {@link decideAllIn} write them: every `requested` audit entry, then each decision's records.
   * A request recorded meanwhile (which the caller's read rules out for every writer holding the
   * payer's row) fails the statement on a unique key, and so the transaction.
   */
  recordDecidedIn(
    m: PixStatements,
    requests: readonly (PaymentRequest & { actor: string; trace?: Context })[],
    decisions: readonly Decision[],
    actor: string,
    outbox: OutboxRecord[],
    at: Date,
  ): void {
    if (requests.length === 0) return;
    const decisionOf = new Map(decisions.map((d) => [d.payment.id, d.decision]));
    const decided = requests.map((r) => {
      const decision = decisionOf.get(r.paymentId);
      if (!decision) throw new Error(`no decision on payment ${r.paymentId}`);
      return decision;
    });
    m.writeAtCommit(
      `WITH payment AS (
         INSERT INTO pix_payments (id, tenant_id, end_to_end_id, client_id, idempotency_key,
           payer_account_id, receiver_key_type, receiver_key_value, amount, description, state,
           receiver_account_id, rejection_code)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
           $6::uuid[], $7::text[], $8::text[], $9::numeric[], $10::text[], $11::text[],
           $12::uuid[], $13::text[])
         RETURNING id, state, rejection_code
       )
       INSERT INTO pix_payment_stages (payment_id, stage, detail)
       SELECT id, 'requested', NULL FROM payment
       UNION ALL SELECT id, state, rejection_code FROM payment`,
      [
        ...requestColumns(requests),
        decided.map((d) => ('receiverAccountId' in d ? 'validated' : 'rejected')),
        decided.map((d) => ('receiverAccountId' in d ? d.receiverAccountId : null)),
        decided.map((d) => ('rejectionCode' in d ? d.rejectionCode : null)),
      ],
    );
    for (const request of requests) {
      outbox.push(
        this.audit(request.paymentId, request.tenantId, null, 'requested', request.actor, at, {
          trace: request.trace,
        }),
      );
    }
    for (const d of decisions) outbox.push(...this.decisionRecords(d, actor, at));
  }

  /** `pix.payment.validated` and its audit entry, or the rejection's notification and audit. */
  private decisionRecords(d: Decision, actor: string, at: Date): OutboxRecord[] {
    const { payment, trace } = d;
    if ('rejectionCode' in d.decision) {
      return this.rejection(payment, 'requested', d.decision.rejectionCode, actor, at, trace);
    }
    return [
      {
        ...stageEvent(TOPICS.pixPaymentValidated, payment.id, payment.tenant_id, {
          paymentId: payment.id,
          endToEndId: payment.end_to_end_id,
          payerAccountId: payment.payer_account_id,
          receiverAccountId: d.decision.receiverAccountId,
          amount: payment.amount,
        }),
        trace,
      },
      this.audit(payment.id, payment.tenant_id, 'requested', 'validated', actor, at, { trace }),
    ];
  }

  /**
   * Settles the validated payments of a chunk in one transaction: each debits its payer and
   * credits its receiver, in the chunk's order, so a payment sees the balances the ones before it
   * left. Every account the chunk touches is locked once, in id order (as every multi-row lock of
   * the PIX write model), so chunks between the same accounts, in whichever directions, wait for
   * each other instead of deadlocking. A payment the payer cannot cover is rejected with
   * INSUFFICIENT_FUNDS, one from or to an account closed since antifraud with ACCOUNT_CLOSED; the
   * others settle. A payment already settled or rejected (a redelivery) changes nothing. Returns
   * the outcome of each payment, in the order given.
   *
   * Writes: the accounts' new balances and versions, every ledger entry, the payments' states and
   * stage rows in one statement; the outbox records in another; both go with the COMMIT. An account
   * changed several times in the chunk gets one `account_balances` record, its last version
   * (readers keep the highest).
   */
  settleAll(
    payments: readonly { paymentId: string; trace?: Context }[],
    actor: string,
  ): Promise<SettlementOutcome[]> {
    return this.committing(['kafka', 'rabbitmq'], async (m) => {
      // `at`: the transaction's now(), which the writes below stamp too.
      const rows: (PaymentRow & { at: Date })[] = await m.query(
        `SELECT id, tenant_id, state, payer_account_id, receiver_account_id, amount, end_to_end_id,
           now() AS at
         FROM pix_payments WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [payments.map((p) => p.paymentId)],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const validated = rows.filter((row) => row.state === 'validated');
      const accounts = await this.lockAccounts(
        m,
        validated.flatMap((row) => [row.payer_account_id, row.receiver_account_id as string]),
      );
      const plan = new SettlementPlan(accounts);
      const outcomes = payments.map(({ paymentId }): SettlementOutcome => {
        const payment = byId.get(paymentId);
        if (!payment || payment.state === 'requested') return 'not-validated';
        if (payment.state !== 'validated' || plan.decided(paymentId)) return 'already-final';
        return plan.settle(payment);
      });
      if (plan.isEmpty()) return outcomes;
      const at = (rows[0] as { at: Date }).at;
      // Nothing is read back: it goes with the outbox rows and the COMMIT, in one round trip.
      m.writeAtCommit(
        `WITH balance AS (
           UPDATE accounts a SET balance = b.balance, version = b.version, updated_at = now()
           FROM unnest($1::uuid[], $2::numeric[], $3::bigint[]) AS b(id, balance, version)
           WHERE a.id = b.id
         ), entry AS (
           INSERT INTO account_entries (id, account_id, kind, amount, previous_balance, balance,
             version, actor, payment_id)
           SELECT e.payment_id, e.account_id, e.kind, e.amount, e.previous_balance, e.balance,
             e.version, $4, e.payment_id
           FROM unnest($5::uuid[], $6::uuid[], $7::text[], $8::numeric[], $9::numeric[],
             $10::numeric[], $11::bigint[])
             AS e(payment_id, account_id, kind, amount, previous_balance, balance, version)
         ), outcome AS (
           SELECT * FROM unnest($12::uuid[], $13::text[], $14::text[]) AS o(id, state, code)
         ), moved AS (
           UPDATE pix_payments p SET state = o.state, rejection_code = o.code, updated_at = now()
           FROM outcome o WHERE p.id = o.id AND p.state = 'validated' RETURNING p.id
         ), stage AS (
           INSERT INTO pix_payment_stages (payment_id, stage, detail)
           SELECT o.id, o.state, o.code FROM moved JOIN outcome o ON o.id = moved.id
           ON CONFLICT DO NOTHING
         )
         SELECT 1`,
        [...plan.balanceColumns(), actor, ...plan.entryColumns(), ...plan.outcomeColumns()],
      );
      const trace = new Map(payments.map((p) => [p.paymentId, p.trace]));
      const outbox: OutboxRecord[] = [];
      for (const { payment, code } of plan.outcomes()) {
        const paymentTrace = trace.get(payment.id);
        if (code) {
          outbox.push(...this.rejection(payment, 'validated', code, actor, at, paymentTrace));
          continue;
        }
        const settled = {
          paymentId: payment.id,
          endToEndId: payment.end_to_end_id,
          payerAccountId: payment.payer_account_id,
          receiverAccountId: payment.receiver_account_id as string,
          amount: payment.amount,
          state: 'settled',
        };
        outbox.push(
          {
            ...stageEvent(TOPICS.pixPaymentSettled, payment.id, payment.tenant_id, settled),
            trace: paymentTrace,
          },
          {
            ...notification(PIX_ROUTING_KEYS.settled, payment.id, payment.tenant_id, settled),
            trace: paymentTrace,
          },
          this.audit(payment.id, payment.tenant_id, 'validated', 'settled', actor, at, {
            trace: paymentTrace,
          }),
        );
      }
      for (const account of plan.changedAccounts()) {
        outbox.push(
          balanceRecord(
            this.balance(account.id, account.tenantId, account.balance, account.version, at),
          ),
        );
      }
      insertOutbox(m, outbox);
      return outcomes;
    });
  }

  /** Locks the accounts in id order (no key changes: FK checks of other writers do not wait). */
  private async lockAccounts(m: PixStatements, ids: string[]): Promise<LockedAccount[]> {
    if (ids.length === 0) return [];
    return m.query(
      `SELECT id, tenant_id, balance, version, closed_at FROM accounts
       WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [[...new Set(ids)]],
    );
  }

  /** The notification and audit entry of a payment ending rejected with a stable code. */
  private rejection(
    payment: DecidablePayment,
    previousState: PixPaymentState,
    code: string,
    actor: string,
    at: Date,
    trace: Context | undefined,
  ): OutboxRecord[] {
    return [
      {
        ...notification(PIX_ROUTING_KEYS.rejected, payment.id, payment.tenant_id, {
          paymentId: payment.id,
          endToEndId: payment.end_to_end_id,
          payerAccountId: payment.payer_account_id,
          amount: payment.amount,
          state: 'rejected',
          rejectionCode: code,
        }),
        trace,
      },
      this.audit(payment.id, payment.tenant_id, previousState, 'rejected', actor, at, {
        detail: { rejectionCode: code },
        trace,
      }),
    ];
  }

  private audit(
    paymentId: string,
    tenantId: string,
    previousState: string | null,
    newState: string,
    actor: string,
    at: Date,
    extra: { detail?: Record<string, string>; trace?: Context } = {},
  ): OutboxRecord {
    return {
      ...auditRecord(
        {
          what: 'pix.payment',
          subjectId: paymentId,
          tenantId,
          previousState,
          newState,
          actor,
          ...(extra.detail ? { detail: extra.detail } : {}),
        },
        at,
      ),
      trace: extra.trace,
    };
  }

  private balance(
    accountId: string,
    tenantId: string,
    balance: string,
    version: number,
    at: Date,
  ): AccountBalanceRecord {
    return { accountId, tenantId, balance, version, updatedAt: at.toISOString() };
  }
}

class KeyTaken extends Error {}

/**
 * The `unnest` columns of payment requests, in `pix_payments`' order: id, tenant, end-to-end id,
 * client, idempotency key, payer, receiver key type and value, amount, description.
 */
export function requestColumns(requests: readonly PaymentRequest[]): unknown[][] {
  return [
    requests.map((r) => r.paymentId),
    requests.map((r) => r.tenantId),
    requests.map((r) => r.endToEndId),
    requests.map((r) => r.clientId),
    requests.map((r) => r.idempotencyKey),
    requests.map((r) => r.payerAccountId),
    requests.map((r) => r.receiverKey.type),
    requests.map((r) => r.receiverKey.value),
    requests.map((r) => r.amount),
    requests.map((r) => r.description),
  ];
}

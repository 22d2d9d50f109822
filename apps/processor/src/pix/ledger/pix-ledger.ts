import { Injectable } from '@nestjs/common';
import { PIX_ROUTING_KEYS, TOPICS, type AccountBalanceRecord } from '@event-hub/contracts';
import type { AccountEntryKind, PixKeyType, PixPaymentState } from '@event-hub/pix-data';
import { DataSource, type EntityManager } from 'typeorm';
import {
  auditRecord,
  balanceRecord,
  balanceTombstone,
  insertOutbox,
  notification,
  stageEvent,
  type OutboxRecord,
} from './outbox-records';
import { inTransaction } from './retry-conflicts';

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

/** The stable code of a payment rejected at settlement. */
export const INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS';
/**
 * The stable code of a payment from or to a closed account: antifraud gives it when it sees the
 * account closed, settlement when the account was closed after antifraud validated the payment.
 */
export const ACCOUNT_CLOSED = 'ACCOUNT_CLOSED';

interface LockedAccount {
  id: string;
  tenant_id: string;
  balance: string;
  version: string;
  closed_at: Date | null;
}

interface PaymentRow {
  id: string;
  tenant_id: string;
  state: PixPaymentState;
  payer_account_id: string;
  receiver_account_id: string | null;
  amount: string;
  end_to_end_id: string;
}

/**
 * The PIX write model. Every method is one Postgres transaction that writes its rows AND the
 * records they cause (next stage, audit entry, account_balances) into the outbox, so Postgres and
 * Kafka cannot diverge: the relay publishes what committed and only that.
 */
@Injectable()
export class PixLedger {
  constructor(private readonly source: DataSource) {}

  openAccount(command: OpenAccount): Promise<OpenAccountOutcome> {
    return inTransaction(this.source, async (m) => {
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
      await insertOutbox(m, [
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
    return inTransaction(this.source, async (m) => {
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
      const [closed]: { closed_at: Date }[] = await updateReturning(
        m,
        `UPDATE accounts SET closed_at = now(), version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING closed_at`,
        [command.accountId],
      );
      await insertOutbox(m, [
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
    return inTransaction(this.source, async (m) => {
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
      const [updated]: { balance: string; version: string; updated_at: Date }[] =
        await updateReturning(
          m,
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
      await insertOutbox(m, [
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
   * Records a requested payment (from `pix.payment.requested`); a redelivered request records
   * nothing. Returns whether it was new.
   */
  recordRequest(request: PaymentRequest, actor: string): Promise<boolean> {
    return inTransaction(this.source, (m) => this.recordRequestIn(m, request, actor));
  }

  /** {@link recordRequest} inside the caller's transaction (the antifraud stage's). */
  async recordRequestIn(
    m: EntityManager,
    request: PaymentRequest,
    actor: string,
  ): Promise<boolean> {
    // The stage row is written by the same statement, only when the payment row was new.
    const inserted: { created_at: Date }[] = await m.query(
      `WITH payment AS (
         INSERT INTO pix_payments (id, tenant_id, end_to_end_id, client_id, idempotency_key,
           payer_account_id, receiver_key_type, receiver_key_value, amount, description, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'requested')
         ON CONFLICT DO NOTHING RETURNING id, created_at
       ), stage AS (
         INSERT INTO pix_payment_stages (payment_id, stage, detail)
         SELECT id, 'requested', NULL FROM payment ON CONFLICT DO NOTHING
       )
       SELECT created_at FROM payment`,
      [
        request.paymentId,
        request.tenantId,
        request.endToEndId,
        request.clientId,
        request.idempotencyKey,
        request.payerAccountId,
        request.receiverKey.type,
        request.receiverKey.value,
        request.amount,
        request.description,
      ],
    );
    if (inserted.length === 0) return false;
    await insertOutbox(m, [
      this.audit(
        request.paymentId,
        request.tenantId,
        null,
        'requested',
        actor,
        inserted[0].created_at,
      ),
    ]);
    return true;
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
    return inTransaction(this.source, (m) => this.decideIn(m, paymentId, decision, actor));
  }

  /** {@link decide} inside the caller's transaction (antifraud reads its facts in the same one). */
  async decideIn(
    m: EntityManager,
    paymentId: string,
    decision: { receiverAccountId: string } | { rejectionCode: string },
    actor: string,
  ): Promise<'validated' | 'rejected' | 'already-decided'> {
    const payment = await this.lockPayment(m, paymentId);
    if (!payment || payment.state !== 'requested') return 'already-decided' as const;
    if ('rejectionCode' in decision) {
      await this.reject(m, payment, decision.rejectionCode, actor);
      return 'rejected' as const;
    }
    const [row] = await this.moveTo(m, paymentId, 'validated', null, 'receiver_account_id = $3', [
      decision.receiverAccountId,
    ]);
    await insertOutbox(m, [
      stageEvent(TOPICS.pixPaymentValidated, paymentId, payment.tenant_id, {
        paymentId,
        endToEndId: payment.end_to_end_id,
        payerAccountId: payment.payer_account_id,
        receiverAccountId: decision.receiverAccountId,
        amount: payment.amount,
      }),
      this.audit(paymentId, payment.tenant_id, 'requested', 'validated', actor, row.updated_at),
    ]);
    return 'validated' as const;
  }

  /**
   * Debits the payer and credits the receiver of a validated payment in one transaction. Both
   * account rows are locked in id order, so two payments between the same accounts in opposite
   * directions wait for each other instead of deadlocking. A payment already settled or rejected
   * (a redelivery) changes nothing.
   */
  settle(paymentId: string, actor: string): Promise<SettlementOutcome> {
    return inTransaction(this.source, async (m) => {
      const payment = await this.lockPayment(m, paymentId);
      if (!payment) return 'not-validated' as const;
      if (payment.state !== 'validated') {
        return payment.state === 'requested'
          ? ('not-validated' as const)
          : ('already-final' as const);
      }
      const receiverId = payment.receiver_account_id as string;
      const accounts: LockedAccount[] = await m.query(
        'SELECT id, tenant_id, balance, version, closed_at FROM accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        [[payment.payer_account_id, receiverId]],
      );
      // Closed after antifraud validated the payment: no money moves into or out of it.
      if (accounts.some((account) => account.closed_at)) {
        await this.reject(m, payment, ACCOUNT_CLOSED, actor);
        return 'account-closed' as const;
      }
      const debited: (LockedAccount & { updated_at: Date })[] = await updateReturning(
        m,
        `UPDATE accounts SET balance = balance - $2::numeric, version = version + 1, updated_at = now()
         WHERE id = $1 AND balance >= $2::numeric RETURNING id, tenant_id, balance, version, updated_at`,
        [payment.payer_account_id, payment.amount],
      );
      if (debited.length === 0) {
        await this.reject(m, payment, INSUFFICIENT_FUNDS, actor);
        return 'insufficient-funds' as const;
      }
      const debit = debited[0];
      const before = new Map(accounts.map((a) => [a.id, a.balance]));
      // The credit, both ledger entries, the payment's state and its stage row in one statement
      // (one round trip where six were); data-modifying CTEs all run, whether read or not.
      const [credited]: (LockedAccount & { payment_updated_at: Date; updated_at: Date })[] =
        await m.query(
          `WITH credit AS (
             UPDATE accounts SET balance = balance + $2::numeric, version = version + 1, updated_at = now()
             WHERE id = $3 RETURNING id, tenant_id, balance, version, updated_at
           ), entries AS (
             INSERT INTO account_entries (id, account_id, kind, amount, previous_balance, balance, version, actor, payment_id)
             SELECT $1::uuid, $4::uuid, 'pix_debit'::text, -$2::numeric, $5::numeric, $6::numeric,
               $7::bigint, $8::text, $1::uuid
             UNION ALL
             SELECT $1::uuid, id, 'pix_credit'::text, $2::numeric, $9::numeric, balance, version,
               $8::text, $1::uuid
             FROM credit
           ), moved AS (
             UPDATE pix_payments SET state = 'settled', updated_at = now()
             WHERE id = $1 RETURNING id, updated_at
           ), stage AS (
             INSERT INTO pix_payment_stages (payment_id, stage, detail)
             SELECT id, 'settled', NULL FROM moved ON CONFLICT DO NOTHING
           )
           SELECT credit.*, moved.updated_at AS payment_updated_at FROM credit, moved`,
          [
            paymentId,
            payment.amount,
            receiverId,
            debit.id,
            before.get(debit.id),
            debit.balance,
            debit.version,
            actor,
            before.get(receiverId),
          ],
        );
      const legs = [debit, credited];
      const row = { updated_at: credited.payment_updated_at };
      const settled = {
        paymentId,
        endToEndId: payment.end_to_end_id,
        payerAccountId: payment.payer_account_id,
        receiverAccountId: receiverId,
        amount: payment.amount,
        state: 'settled',
      };
      const records: OutboxRecord[] = [
        stageEvent(TOPICS.pixPaymentSettled, paymentId, payment.tenant_id, settled),
        notification(PIX_ROUTING_KEYS.settled, paymentId, payment.tenant_id, settled),
        this.audit(paymentId, payment.tenant_id, 'validated', 'settled', actor, row.updated_at),
        ...legs.map((account) =>
          balanceRecord(
            this.balance(
              account.id,
              account.tenant_id,
              account.balance,
              Number(account.version),
              account.updated_at,
            ),
          ),
        ),
      ];
      await insertOutbox(m, records);
      return 'settled' as const;
    });
  }

  private async lockPayment(m: EntityManager, paymentId: string): Promise<PaymentRow | undefined> {
    const [payment]: PaymentRow[] = await m.query(
      `SELECT id, tenant_id, state, payer_account_id, receiver_account_id, amount, end_to_end_id
       FROM pix_payments WHERE id = $1 FOR UPDATE`,
      [paymentId],
    );
    return payment;
  }

  /** Ends the flow with a stable code; the rejection is notified like a settlement. */
  private async reject(
    m: EntityManager,
    payment: PaymentRow,
    code: string,
    actor: string,
  ): Promise<void> {
    const [row] = await this.moveTo(m, payment.id, 'rejected', code, 'rejection_code = $2', []);
    await insertOutbox(m, [
      notification(PIX_ROUTING_KEYS.rejected, payment.id, payment.tenant_id, {
        paymentId: payment.id,
        endToEndId: payment.end_to_end_id,
        payerAccountId: payment.payer_account_id,
        amount: payment.amount,
        state: 'rejected',
        rejectionCode: code,
      }),
      this.audit(payment.id, payment.tenant_id, payment.state, 'rejected', actor, row.updated_at, {
        rejectionCode: code,
      }),
    ]);
  }

  /**
   * Sets the payment's state (and the columns `set` names, its parameters from `$3`; `$2` is the
   * stage detail) and records the stage row in one statement: one round trip where two were.
   */
  private moveTo(
    m: EntityManager,
    paymentId: string,
    state: PixPaymentState,
    detail: string | null,
    set: string | null,
    parameters: unknown[],
  ): Promise<{ updated_at: Date }[]> {
    return m.query(
      `WITH moved AS (
         UPDATE pix_payments SET state = '${state}', ${set ? `${set}, ` : ''}updated_at = now()
         WHERE id = $1 RETURNING id, updated_at
       ), stage AS (
         INSERT INTO pix_payment_stages (payment_id, stage, detail)
         SELECT id, '${state}', $2::text FROM moved ON CONFLICT DO NOTHING
       )
       SELECT updated_at FROM moved`,
      [paymentId, detail, ...parameters],
    );
  }

  private audit(
    paymentId: string,
    tenantId: string,
    previousState: string | null,
    newState: string,
    actor: string,
    at: Date,
    detail?: Record<string, string>,
  ): OutboxRecord {
    return auditRecord(
      {
        what: 'pix.payment',
        subjectId: paymentId,
        tenantId,
        previousState,
        newState,
        actor,
        ...(detail ? { detail } : {}),
      },
      at,
    );
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
 * Rows of an `UPDATE … RETURNING`: TypeORM's Postgres driver answers such a statement with
 * `[rows, affectedCount]` instead of the rows an INSERT or SELECT gives.
 */
async function updateReturning<T>(
  m: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<T[]> {
  const [rows] = (await m.query(sql, parameters)) as [T[], number];
  return rows;
}

import { fromCents, toCents } from '../antifraud/money';

/** An account row as settlement locks it (`numeric` and `bigint` read as strings). */
export interface LockedAccount {
  id: string;
  tenant_id: string;
  balance: string;
  version: string;
  closed_at: Date | null;
}

/** A validated payment as settlement reads it. */
export interface SettlementPayment {
  id: string;
  tenant_id: string;
  payer_account_id: string;
  receiver_account_id: string | null;
  amount: string;
  end_to_end_id: string;
}

/** The stable code of a payment rejected at settlement. */
export const INSUFFICIENT_FUNDS = 'INSUFFICIENT_FUNDS';
/**
 * The stable code of a payment from or to a closed account: antifraud gives it when it sees the
 * account closed, settlement when the account was closed after antifraud validated the payment.
 */
export const ACCOUNT_CLOSED = 'ACCOUNT_CLOSED';

interface AccountState {
  id: string;
  tenantId: string;
  closed: boolean;
  cents: bigint;
  version: number;
  changed: boolean;
}

interface Entry {
  paymentId: string;
  accountId: string;
  kind: 'pix_debit' | 'pix_credit';
  amount: bigint;
  previous: bigint;
  balance: bigint;
  version: number;
}

/**
 * What settling a chunk of payments does to the accounts it locked, worked out in memory, payment
 * after payment in the chunk's order, then written in one statement. The rules are those of one
 * payment at a time: no money into or out of a closed account, no debit the balance cannot cover
 * (a balance never goes negative; `CHECK (balance >= 0)` backs it), every change increments the
 * account's version and leaves a ledger entry with the balance and version it produced.
 */
export class SettlementPlan {
  private readonly accounts: Map<string, AccountState>;
  private readonly entries: Entry[] = [];
  private readonly results: { payment: SettlementPayment; code: string | null }[] = [];
  private readonly seen = new Set<string>();

  constructor(locked: readonly LockedAccount[]) {
    this.accounts = new Map(
      locked.map((a) => [
        a.id,
        {
          id: a.id,
          tenantId: a.tenant_id,
          closed: a.closed_at !== null,
          cents: toCents(a.balance),
          version: Number(a.version),
          changed: false,
        },
      ]),
    );
  }

  /** Whether the plan already has an outcome for the payment (a copy earlier in the chunk). */
  decided(paymentId: string): boolean {
    return this.seen.has(paymentId);
  }

  /** Debits the payer and credits the receiver of a validated payment, or rejects it. */
  settle(payment: SettlementPayment): 'settled' | 'insufficient-funds' | 'account-closed' {
    this.seen.add(payment.id);
    const payer = this.account(payment.payer_account_id);
    const receiver = this.account(payment.receiver_account_id);
    if (payer.closed || receiver.closed) {
      this.results.push({ payment, code: ACCOUNT_CLOSED });
      return 'account-closed';
    }
    const amount = toCents(payment.amount);
    if (payer.cents < amount) {
      this.results.push({ payment, code: INSUFFICIENT_FUNDS });
      return 'insufficient-funds';
    }
    this.move(payment.id, payer, 'pix_debit', -amount);
    this.move(payment.id, receiver, 'pix_credit', amount);
    this.results.push({ payment, code: null });
    return 'settled';
  }

  isEmpty(): boolean {
    return this.results.length === 0;
  }

  /** Each payment with an outcome, in the chunk's order: code null when it settled. */
  outcomes(): readonly { payment: SettlementPayment; code: string | null }[] {
    return this.results;
  }

  /** The accounts whose balance changed, with their last balance and version. */
  changedAccounts(): { id: string; tenantId: string; balance: string; version: number }[] {
    return [...this.accounts.values()]
      .filter((a) => a.changed)
      .map((a) => ({
        id: a.id,
        tenantId: a.tenantId,
        balance: fromCents(a.cents),
        version: a.version,
      }));
  }

  /** `unnest` columns of the accounts' new rows: ids, balances, versions. */
  balanceColumns(): [string[], string[], number[]] {
    const changed = this.changedAccounts();
    return [changed.map((a) => a.id), changed.map((a) => a.balance), changed.map((a) => a.version)];
  }

  /** `unnest` columns of the ledger entries, in the order they happened. */
  entryColumns(): [string[], string[], string[], string[], string[], string[], number[]] {
    const e = this.entries;
    return [
      e.map((x) => x.paymentId),
      e.map((x) => x.accountId),
      e.map((x) => x.kind),
      e.map((x) => fromCents(x.amount)),
      e.map((x) => fromCents(x.previous)),
      e.map((x) => fromCents(x.balance)),
      e.map((x) => x.version),
    ];
  }

  /** `unnest` columns of the payments' new states: ids, states, rejection codes. */
  outcomeColumns(): [string[], string[], (string | null)[]] {
    const r = this.results;
    return [
      r.map((x) => x.payment.id),
      r.map((x) => (x.code ? 'rejected' : 'settled')),
      r.map((x) => x.code),
    ];
  }

  private move(paymentId: string, account: AccountState, kind: Entry['kind'], amount: bigint) {
    const previous = account.cents;
    account.cents += amount;
    account.version += 1;
    account.changed = true;
    this.entries.push({
      paymentId,
      accountId: account.id,
      kind,
      amount,
      previous,
      balance: account.cents,
      version: account.version,
    });
  }

  private account(id: string | null): AccountState {
    const account = id === null ? undefined : this.accounts.get(id);
    // The payment's foreign keys name existing accounts, and the caller locked them all.
    if (!account) throw new Error(`account ${String(id)} of a validated payment is not locked`);
    return account;
  }
}

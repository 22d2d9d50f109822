import { randomUUID } from 'node:crypto';
import { TOPICS, type AccountBalanceRecord, type EventEnvelope } from '@event-hub/contracts';
import type { DataSource } from 'typeorm';
import {
  ACCOUNT_CLOSED,
  INSUFFICIENT_FUNDS,
  type PixLedger,
} from '../../src/pix/ledger/pix-ledger';
import { PixFixtures, TENANT } from './support/pix-fixtures';

describe('PIX ledger against the real Postgres', () => {
  let fx: PixFixtures;
  let source: DataSource;
  let ledger: PixLedger;
  const tenant = TENANT;
  const openAccount = (balance?: string) => fx.openAccount(balance);
  const newUser = () => fx.newUser();
  const accountRow = (id: string) => fx.accountRow(id);
  const validatedPayment = (payer: string, receiver: string, amount: string) =>
    fx.validatedPayment(payer, receiver, amount);

  beforeAll(async () => {
    fx = await PixFixtures.create('pixledger');
    source = fx.source;
    ledger = fx.ledger;
  });

  afterAll(async () => {
    await fx?.close();
  });

  /** The latest account_balances record per account in the outbox, by outbox order. */
  async function latestBalanceRecords(): Promise<Map<string, AccountBalanceRecord>> {
    // Tombstones (closed accounts) have no payload.
    const rows: { payload: string }[] = await source.query(
      'SELECT payload FROM pix_outbox_records WHERE topic = $1 AND payload IS NOT NULL ORDER BY id, position',
      [TOPICS.accountBalances],
    );
    const latest = new Map<string, AccountBalanceRecord>();
    for (const row of rows) {
      const record = JSON.parse(row.payload) as AccountBalanceRecord;
      latest.set(record.accountId, record);
    }
    return latest;
  }

  it('refuses an account for a user of another tenant and a PIX key already taken in the tenant', async () => {
    const userId = await newUser();
    const open = (tenantId: string, value: string) =>
      ledger.openAccount({
        accountId: randomUUID(),
        tenantId,
        userId,
        keys: [{ type: 'EMAIL', value }],
        actor: 'ehc_test',
      });
    expect(await open('other', 'a@example.com')).toBe('unknown-user');
    expect(await open(tenant, 'a@example.com')).toBe('opened');
    expect(await open(tenant, 'a@example.com')).toBe('key-taken');
  });

  it('credits a deposit once however often the same request arrives, and records the new version', async () => {
    const account = await openAccount();
    const deposit = {
      entryId: randomUUID(),
      accountId: account,
      tenantId: tenant,
      actor: 'op',
      amount: '10.10',
    };
    expect(await ledger.deposit(deposit)).toEqual({
      outcome: 'applied',
      balance: '10.10',
      version: 1,
    });
    expect(await ledger.deposit(deposit)).toEqual({
      outcome: 'already-applied',
      balance: '10.10',
      version: 1,
    });
    expect(await accountRow(account)).toEqual({ balance: '10.10', version: '1' });
  });

  it('sets the balance absolutely on an adjustment and audits the reason', async () => {
    const account = await openAccount('50.00');
    const outcome = await ledger.adjust({
      entryId: randomUUID(),
      accountId: account,
      tenantId: tenant,
      actor: 'admin',
      balance: '7.25',
      reason: 'chargeback',
    });
    expect(outcome).toEqual({ outcome: 'applied', balance: '7.25', version: 2 });
    const audits: { payload: string }[] = await source.query(
      'SELECT payload FROM pix_outbox_records WHERE topic = $1 AND message_key = $2 ORDER BY id DESC, position DESC LIMIT 1',
      [TOPICS.pixAuditLog, account],
    );
    const audit = JSON.parse(audits[0].payload) as EventEnvelope<Record<string, unknown>>;
    expect(audit.data).toMatchObject({
      what: 'account.adjustment',
      previousState: '50.00',
      newState: '7.25',
      actor: 'admin',
      detail: { reason: 'chargeback' },
    });
    const [entry] = await source.query(
      'SELECT amount, reason FROM account_entries WHERE account_id = $1 AND kind = $2',
      [account, 'adjustment'],
    );
    expect(entry).toEqual({ amount: '-42.75', reason: 'chargeback' });
  });

  it('settles a payment by moving the amount, with the settled event, the notification and both balance records in the outbox', async () => {
    const payer = await openAccount('100.00');
    const receiver = await openAccount('1.00');
    const paymentId = await validatedPayment(payer, receiver, '30.50');

    expect(await fx.settle(paymentId)).toBe('settled');

    expect(await accountRow(payer)).toEqual({ balance: '69.50', version: '2' });
    expect(await accountRow(receiver)).toEqual({ balance: '31.50', version: '2' });
    const outbox: { destination: string; topic: string }[] = await source.query(
      `SELECT destination, topic FROM pix_outbox_records WHERE message_key = $1 ORDER BY id, position`,
      [paymentId],
    );
    expect(outbox).toEqual(
      expect.arrayContaining([
        { destination: 'kafka', topic: TOPICS.pixPaymentValidated },
        { destination: 'kafka', topic: TOPICS.pixPaymentSettled },
        { destination: 'rabbitmq', topic: 'pix.payment.settled' },
      ]),
    );
    const latest = await latestBalanceRecords();
    expect(latest.get(payer)).toMatchObject({ balance: '69.50', version: 2, tenantId: tenant });
    expect(latest.get(receiver)).toMatchObject({ balance: '31.50', version: 2 });
  });

  it('rejects a payment the payer cannot cover with INSUFFICIENT_FUNDS and moves nothing', async () => {
    const payer = await openAccount('5.00');
    const receiver = await openAccount();
    const paymentId = await validatedPayment(payer, receiver, '5.01');

    expect(await fx.settle(paymentId)).toBe('insufficient-funds');

    expect(await accountRow(payer)).toEqual({ balance: '5.00', version: '1' });
    expect(await accountRow(receiver)).toEqual({ balance: '0.00', version: '0' });
    const [payment] = await source.query(
      'SELECT state, rejection_code FROM pix_payments WHERE id = $1',
      [paymentId],
    );
    expect(payment).toEqual({ state: 'rejected', rejection_code: INSUFFICIENT_FUNDS });
  });

  it('rejects with ACCOUNT_CLOSED a validated payment whose receiver was closed since, moving nothing', async () => {
    const payer = await openAccount('10.00');
    const receiver = await openAccount();
    const paymentId = await validatedPayment(payer, receiver, '1.00');
    const closed = await ledger.closeAccount({
      accountId: receiver,
      tenantId: tenant,
      actor: 'op',
    });
    expect(closed.outcome).toBe('closed');

    expect(await fx.settle(paymentId)).toBe('account-closed');

    expect(await accountRow(payer)).toEqual({ balance: '10.00', version: '1' });
    expect(await accountRow(receiver)).toEqual({ balance: '0.00', version: '1' });
    const [payment] = await source.query(
      'SELECT state, rejection_code FROM pix_payments WHERE id = $1',
      [paymentId],
    );
    expect(payment).toEqual({ state: 'rejected', rejection_code: ACCOUNT_CLOSED });
  });

  it('settles a redelivered payment once', async () => {
    const payer = await openAccount('10.00');
    const receiver = await openAccount();
    const paymentId = await validatedPayment(payer, receiver, '4.00');

    const outcomes = await Promise.all([1, 2, 3].map(() => fx.settle(paymentId)));

    expect(outcomes.sort()).toEqual(['already-final', 'already-final', 'settled']);
    expect(await accountRow(payer)).toEqual({ balance: '6.00', version: '2' });
    const settled: unknown[] = await source.query(
      "SELECT 1 FROM pix_outbox_records WHERE message_key = $1 AND topic = $2 AND destination = 'kafka'",
      [paymentId, TOPICS.pixPaymentSettled],
    );
    expect(settled).toHaveLength(1);
  });

  it('settles a chunk in one transaction: the payment its payer cannot cover is rejected, the others settle, in both directions between two accounts', async () => {
    const a = await openAccount('10.00');
    const b = await openAccount();
    const c = await openAccount('1.00');
    const aToB = await validatedPayment(a, b, '6.00');
    const aToBAgain = await validatedPayment(a, b, '6.00');
    const bToA = await validatedPayment(b, a, '5.00');
    const cToA = await validatedPayment(c, a, '1.00');
    const balanceRecordsBefore = (await latestBalanceRecords()).size;

    const chunk = [aToB, aToBAgain, bToA, cToA].map((paymentId) => ({ paymentId }));
    expect(await ledger.settleAll(chunk, 'settlement')).toEqual([
      'settled',
      'insufficient-funds',
      'settled',
      'settled',
    ]);
    // The same chunk redelivered changes nothing.
    expect(await ledger.settleAll(chunk, 'settlement')).toEqual([
      'already-final',
      'already-final',
      'already-final',
      'already-final',
    ]);

    expect(await accountRow(a)).toEqual({ balance: '10.00', version: '4' });
    expect(await accountRow(b)).toEqual({ balance: '1.00', version: '2' });
    expect(await accountRow(c)).toEqual({ balance: '0.00', version: '2' });
    const states: { id: string; state: string; rejection_code: string | null }[] =
      await source.query(
        'SELECT id, state, rejection_code FROM pix_payments WHERE id = ANY($1::uuid[])',
        [[aToBAgain, bToA]],
      );
    expect(new Map(states.map((p) => [p.id, [p.state, p.rejection_code]]))).toEqual(
      new Map([
        [aToBAgain, ['rejected', INSUFFICIENT_FUNDS]],
        [bToA, ['settled', null]],
      ]),
    );
    // Each account's entries chain its balances and versions, in the chunk's order.
    const entries: {
      payment_id: string;
      previous_balance: string;
      balance: string;
      version: string;
    }[] = await source.query(
      `SELECT payment_id, previous_balance, balance, version FROM account_entries
         WHERE account_id = $1 AND payment_id IS NOT NULL ORDER BY version`,
      [a],
    );
    expect(entries.map((e) => [e.payment_id, e.previous_balance, e.balance, e.version])).toEqual([
      [aToB, '10.00', '4.00', '2'],
      [bToA, '4.00', '9.00', '3'],
      [cToA, '9.00', '10.00', '4'],
    ]);
    // One account_balances record per account the chunk changed, with its last version.
    const balanceRecords: { payload: string }[] = await source.query(
      "SELECT payload FROM pix_outbox_records WHERE topic = $1 AND payload::jsonb->>'accountId' = ANY($2::text[])",
      [TOPICS.accountBalances, [a, b, c]],
    );
    const versions = balanceRecords.map((r) => JSON.parse(r.payload) as AccountBalanceRecord);
    expect(
      versions
        .filter((r) => r.version > 1)
        .map((r) => [r.accountId, r.version])
        .sort(),
    ).toEqual(
      [
        [a, 4],
        [b, 2],
        [c, 2],
      ].sort(),
    );
    expect((await latestBalanceRecords()).size).toBe(balanceRecordsBefore);
  });

  it('1,000 concurrent payments among 50 accounts conserve the money, never go negative, and never fail', async () => {
    const accounts: string[] = [];
    for (let i = 0; i < 50; i++) accounts.push(await openAccount('100.00'));
    const pick = () => accounts[Math.floor(Math.random() * accounts.length)];
    const payments = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const payer = pick();
        let receiver = pick();
        while (receiver === payer) receiver = pick();
        const cents = String(i % 100).padStart(2, '0');
        return validatedPayment(payer, receiver, `${1 + Math.floor(Math.random() * 40)}.${cents}`);
      }),
    );

    const outcomes = await Promise.all(payments.map((id) => fx.settle(id)));

    expect(new Set(outcomes)).toEqual(new Set(['settled', 'insufficient-funds']));
    const [totals] = await source.query(
      'SELECT sum(balance)::text AS total, min(balance)::text AS lowest FROM accounts WHERE id = ANY($1::uuid[])',
      [accounts],
    );
    expect(totals.total).toBe('5000.00');
    expect(Number(totals.lowest)).toBeGreaterThanOrEqual(0);
    const latest = await latestBalanceRecords();
    for (const id of accounts) {
      const row = await accountRow(id);
      expect(latest.get(id)).toMatchObject({ balance: row.balance, version: Number(row.version) });
    }
  });
});

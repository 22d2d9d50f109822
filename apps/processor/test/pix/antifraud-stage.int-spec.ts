import { randomUUID } from 'node:crypto';
import { ANTIFRAUD_CODES, type AntifraudLimits } from '../../src/pix/antifraud/antifraud-rules';
import {
  AntifraudStage,
  type AntifraudOutcome,
  type Judgement,
} from '../../src/pix/antifraud/antifraud.stage';
import type { PaymentRequest } from '../../src/pix/ledger/pix-ledger';
import { insertOutbox, type OutboxRecord } from '../../src/pix/ledger/outbox-records';
import { inTransaction } from '../../src/pix/ledger/retry-conflicts';
import { PixFixtures, TENANT } from './support/pix-fixtures';

// Night-time limit as high as the daytime one: the stage may run at any hour; the night rule's
// clock is covered by the rules' unit spec.
const limits: AntifraudLimits = {
  perTransaction: '1000.00',
  nightPerTransaction: '1000.00',
  daily: '1500.00',
  velocityCount: 3,
  velocityWindowMinutes: 10,
};

/**
 * Four payments of 1.00 by one payer (velocity 3), then 1000.00, 600.00 and ~400 by another
 * (daily 1500.00), judged as one chunk.
 */
const VELOCITY_THEN_DAILY = [
  { outcome: 'validated' },
  { outcome: 'validated' },
  { outcome: 'validated' },
  { outcome: 'rejected', rejectionCode: ANTIFRAUD_CODES.velocity },
  { outcome: 'validated' },
  { outcome: 'rejected', rejectionCode: ANTIFRAUD_CODES.dailyLimit },
  { outcome: 'validated' },
];

describe('antifraud stage against the real Postgres', () => {
  let fx: PixFixtures;
  let stage: AntifraudStage;

  beforeAll(async () => {
    fx = await PixFixtures.create('pixantifraud');
    stage = new AntifraudStage(fx.ledger, limits);
  });

  afterAll(async () => {
    await fx?.close();
  });

  /** Judges one recorded payment in a transaction of its own, its payer locked as for a chunk. */
  function judgeAlone(paymentId: string): Promise<AntifraudOutcome> {
    return inTransaction(fx.source, async (m) => {
      const [payment] = await m.query<{ payer_account_id: string }>(
        'SELECT payer_account_id FROM pix_payments WHERE id = $1',
        [paymentId],
      );
      await stage.lockPayers(m, payment ? [payment.payer_account_id] : []);
      const outbox: OutboxRecord[] = [];
      const [judged] = await stage.judgeIn(m, [{ paymentId }], 'antifraud', outbox);
      insertOutbox(m, outbox);
      return (judged as Judgement).outcome;
    });
  }

  const outcomeOf = async (paymentId: string) => {
    const [row] = await fx.source.query(
      'SELECT state, rejection_code, receiver_account_id FROM pix_payments WHERE id = $1',
      [paymentId],
    );
    return row;
  };

  it('validates a payment towards the account its key resolves to, once however often it is delivered', async () => {
    const payer = await fx.openAccount();
    const receiver = await fx.openAccount();
    const payment = await fx.requestPayment(payer, await fx.keyOf(receiver), '10.00');

    expect(await judgeAlone(payment)).toBe('validated');
    expect(await judgeAlone(payment)).toBe('already-decided');
    expect(await outcomeOf(payment)).toEqual({
      state: 'validated',
      rejection_code: null,
      receiver_account_id: receiver,
    });
  });

  it('rejects an unknown receiver key, a payment to oneself, a blocked key and an amount over the limit', async () => {
    const payer = await fx.openAccount();
    const blocked = await fx.openAccount();
    await fx.source.query('UPDATE pix_keys SET blocked = true WHERE account_id = $1', [blocked]);
    const cases: [string, string][] = [
      [
        await fx.requestPayment(payer, { type: 'EVP', value: randomUUID() }, '1.00'),
        ANTIFRAUD_CODES.unknownReceiverKey,
      ],
      [await fx.requestPayment(payer, await fx.keyOf(payer), '1.00'), ANTIFRAUD_CODES.selfPayment],
      [await fx.requestPayment(payer, await fx.keyOf(blocked), '1.00'), ANTIFRAUD_CODES.blockedKey],
      [
        await fx.requestPayment(payer, await fx.keyOf(await fx.openAccount()), '1000.01'),
        ANTIFRAUD_CODES.perTransactionLimit,
      ],
    ];
    for (const [payment, code] of cases) {
      expect(await judgeAlone(payment)).toBe('rejected');
      expect(await outcomeOf(payment)).toMatchObject({ state: 'rejected', rejection_code: code });
    }
  });

  it('rejects with ACCOUNT_CLOSED a payment to a closed account’s key and one from a closed account', async () => {
    const payer = await fx.openAccount();
    const closed = await fx.openAccount();
    const close = { accountId: closed, tenantId: TENANT, actor: 'op' };
    expect((await fx.ledger.closeAccount(close)).outcome).toBe('closed');
    const cases = [
      await fx.requestPayment(payer, await fx.keyOf(closed), '1.00'),
      await fx.requestPayment(closed, await fx.keyOf(payer), '1.00'),
    ];
    for (const payment of cases) {
      expect(await judgeAlone(payment)).toBe('rejected');
      expect(await outcomeOf(payment)).toMatchObject({
        state: 'rejected',
        rejection_code: ANTIFRAUD_CODES.accountClosed,
      });
    }
  });

  it("counts a payer's accepted payments of the day against the daily limit, and rejected ones not", async () => {
    const payer = await fx.openAccount();
    const key = await fx.keyOf(await fx.openAccount());
    const first = await fx.requestPayment(payer, key, '1000.00');
    const tooMuch = await fx.requestPayment(payer, key, '1000.00');
    const rest = await fx.requestPayment(payer, key, '500.00');

    expect(await judgeAlone(first)).toBe('validated');
    expect(await judgeAlone(tooMuch)).toBe('rejected');
    expect(await outcomeOf(tooMuch)).toMatchObject({ rejection_code: ANTIFRAUD_CODES.dailyLimit });
    expect(await judgeAlone(rest)).toBe('validated');
  });

  it('rejects a payer who already made N payments within the window, even when they arrive together', async () => {
    const payer = await fx.openAccount();
    const key = await fx.keyOf(await fx.openAccount());
    const payments = await Promise.all(
      [1, 2, 3, 4, 5].map(() => fx.requestPayment(payer, key, '1.00')),
    );

    const outcomes = await Promise.all(payments.map((p) => judgeAlone(p)));

    expect(outcomes.filter((o) => o === 'validated')).toHaveLength(3);
    const rejected = await Promise.all(
      payments.filter((_, i) => outcomes[i] === 'rejected').map(outcomeOf),
    );
    expect(rejected.map((r) => r.rejection_code)).toEqual([
      ANTIFRAUD_CODES.velocity,
      ANTIFRAUD_CODES.velocity,
    ]);
  });

  it('judges a chunk of one payer as one by one: the payments after the N-th in the window are VELOCITY, and the day’s total counts the chunk’s accepted ones', async () => {
    const payer = await fx.openAccount();
    const key = await fx.keyOf(await fx.openAccount());
    const velocity = await Promise.all(
      [1, 2, 3, 4].map(() => fx.requestPayment(payer, key, '1.00')),
    );
    const other = await fx.openAccount();
    const daily = [
      await fx.requestPayment(other, key, '1000.00'),
      await fx.requestPayment(other, key, '600.00'),
      await fx.requestPayment(other, key, '400.00'),
    ];

    const judged = await inTransaction(fx.source, async (m) => {
      await stage.lockPayers(m, [payer, other]);
      const outbox: OutboxRecord[] = [];
      const result = await stage.judgeIn(
        m,
        [...velocity, ...daily].map((paymentId) => ({ paymentId })),
        'antifraud',
        outbox,
      );
      insertOutbox(m, outbox);
      return result;
    });

    expect(judged).toEqual(VELOCITY_THEN_DAILY);
    expect(await outcomeOf(velocity[3] as string)).toMatchObject({
      state: 'rejected',
      rejection_code: ANTIFRAUD_CODES.velocity,
    });
    expect(await judgeAlone(daily[2] as string)).toBe('already-decided');
  });

  describe('new requests recorded already judged (recordAndJudgeIn)', () => {
    const request = (
      payer: string,
      receiverKey: PaymentRequest['receiverKey'],
      amount: string,
    ): PaymentRequest & { actor: string } => ({
      ...fx.newRequest(payer, receiverKey, amount),
      actor: 'client:ehc_test',
    });
    const recordAndJudge = (requests: (PaymentRequest & { actor: string })[]) =>
      inTransaction(fx.source, async (m) => {
        await stage.lockPayers(
          m,
          requests.map((r) => r.payerAccountId),
        );
        const outbox: OutboxRecord[] = [];
        const judged = await stage.recordAndJudgeIn(m, requests, 'antifraud', outbox);
        insertOutbox(m, outbox);
        return { judged, outbox };
      });

    it('judges a chunk as judging the recorded requests would, and writes each payment once, decided, with both stage rows and audit entries in order', async () => {
      const payer = await fx.openAccount();
      const receiver = await fx.openAccount();
      const key = await fx.keyOf(receiver);
      const other = await fx.openAccount();
      const requests = [
        ...[1, 2, 3, 4].map(() => request(payer, key, '1.00')),
        request(other, key, '1000.00'),
        request(other, key, '600.00'),
        request(other, key, '400.50'),
        request(other, { type: 'EVP', value: randomUUID() }, '1.00'),
      ];

      const { judged, outbox } = await recordAndJudge(requests);

      expect(judged).toEqual([
        ...VELOCITY_THEN_DAILY,
        { outcome: 'rejected', rejectionCode: ANTIFRAUD_CODES.unknownReceiverKey },
      ]);
      const ids = requests.map((r) => r.paymentId);
      const rows = await fx.source.query(
        `SELECT p.id, p.state, p.rejection_code, p.receiver_account_id, p.amount,
           p.created_at = p.updated_at AS one_time,
           array_agg(s.stage ORDER BY s.stage) AS stages
         FROM pix_payments p JOIN pix_payment_stages s ON s.payment_id = p.id
         WHERE p.id = ANY($1::uuid[]) GROUP BY p.id`,
        [ids],
      );
      const byId = new Map(rows.map((row: { id: string }) => [row.id, row]));
      expect(byId.get(ids[0])).toMatchObject({
        state: 'validated',
        rejection_code: null,
        receiver_account_id: receiver,
        one_time: true,
        stages: ['requested', 'validated'],
      });
      expect(byId.get(ids[3])).toMatchObject({
        state: 'rejected',
        rejection_code: ANTIFRAUD_CODES.velocity,
        receiver_account_id: null,
        stages: ['rejected', 'requested'],
      });
      expect(byId.get(ids[6])).toMatchObject({ amount: '400.50' });
      // Every `requested` audit entry first, then each decision's records, as recording then
      // judging writes them; the validated event carries the receiver the key resolved to.
      const audits = outbox
        .filter((r) => r.topic === 'pix.audit.log')
        .map(
          (r) => JSON.parse(r.payload as string).data as { subjectId: string; newState: string },
        );
      expect(audits.slice(0, 8).map((a) => [a.subjectId, a.newState])).toEqual(
        ids.map((id) => [id, 'requested']),
      );
      expect(audits.slice(8).map((a) => a.subjectId)).toEqual(ids);
      const validated = outbox.filter((r) => r.topic === 'pix.payment.validated');
      expect(JSON.parse(validated[0]?.payload as string).data).toMatchObject({
        paymentId: ids[0],
        receiverAccountId: receiver,
        amount: '1.00',
      });
      expect(outbox.filter((r) => r.destination === 'rabbitmq')).toHaveLength(3);
    });

    it('writes nothing and answers undefined for a redelivered request, or two requests sharing an end-to-end id', async () => {
      const payer = await fx.openAccount();
      const key = await fx.keyOf(await fx.openAccount());
      const first = request(payer, key, '2.00');
      expect((await recordAndJudge([first])).judged).toEqual([{ outcome: 'validated' }]);

      const again = await recordAndJudge([request(payer, key, '3.00'), first]);
      expect(again).toEqual({ judged: undefined, outbox: [] });

      const twin = request(payer, key, '4.00');
      const shared = await recordAndJudge([
        twin,
        { ...request(payer, key, '5.00'), endToEndId: twin.endToEndId },
      ]);
      expect(shared).toEqual({ judged: undefined, outbox: [] });
      const [{ count }] = await fx.source.query(
        'SELECT count(*)::int AS count FROM pix_payments WHERE payer_account_id = $1',
        [payer],
      );
      expect(count).toBe(1);
    });
  });
});

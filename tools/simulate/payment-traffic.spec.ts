import { paymentOf } from './payment-traffic';
import type { SimAccount } from './pix-platform';

const accounts: SimAccount[] = ['a', 'b', 'c'].map((id) => ({
  id,
  keys: [
    { type: 'EVP', value: `evp-${id}` },
    { type: 'EMAIL', value: `${id}@example.com` },
  ],
}));

/** A "random" source answering the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('simulated payments', () => {
  it('pays another account by one of its keys, 1.00 to 50.00, with a key per payment', () => {
    expect(paymentOf(7, accounts, 'run1', sequence(2, 0, 0, 1))).toEqual({
      idempotencyKey: 'sim-run1-7',
      payerAccountId: 'c',
      receiverKey: { type: 'EMAIL', value: 'a@example.com' },
      amount: '1.00',
    });
    expect(paymentOf(8, accounts, 'run1', sequence(0, 1, 4900, 0)).amount).toBe('50.00');
  });

  it('never makes the payer its own receiver', () => {
    for (let i = 0; i < 200; i += 1) {
      const payment = paymentOf(i, accounts, 'run1');
      const receiver = accounts.find((a) =>
        a.keys.some((k) => k.value === payment.receiverKey.value),
      );
      expect(receiver?.id).not.toBe(payment.payerAccountId);
    }
  });
});

import { pace, type PaceResult } from './pacing';
import type { PaymentTally } from './payment-tally';
import { reasonOf, type PaymentRequest, type PixPlatform, type SimAccount } from './pix-platform';

/** A random integer in [0, n). */
export type RandomIndex = (n: number) => number;

export const randomIndex: RandomIndex = (n) => Math.floor(Math.random() * n);

/**
 * Payment `index` of a run: a payer and a different receiver among `accounts`, paid by one of its
 * keys, 1.00 to 50.00 (well under the default antifraud limits, so what is rejected says something
 * about the platform or the velocity rule, not about the amounts).
 */
export function paymentOf(
  index: number,
  accounts: readonly SimAccount[],
  runId: string,
  random: RandomIndex = randomIndex,
): PaymentRequest {
  const payer = random(accounts.length);
  // A receiver other than the payer: self-payments are refused by antifraud.
  const receiver = (payer + 1 + random(accounts.length - 1)) % accounts.length;
  const keys = accounts[receiver]?.keys ?? [];
  const cents = 100 + random(4901);
  return {
    idempotencyKey: `sim-${runId}-${index}`,
    payerAccountId: accounts[payer]?.id ?? '',
    receiverKey: keys[random(keys.length)] ?? { type: 'EVP', value: '' },
    amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
  };
}

export interface TrafficOptions {
  rate: number;
  total: number;
  maxInFlight: number;
  runId: string;
  /** First payment index (a later phase of the same run continues the idempotency keys). */
  firstIndex?: number;
  /** Called with each accepted payment and when (ms since the epoch) its request was sent. */
  onAccepted: (paymentId: string, sentAt: number) => void;
}

/** Sends `total` payments at `rate` through the gateway, counting every answer in `tally`. */
export function sendPayments(
  platform: PixPlatform,
  accounts: readonly SimAccount[],
  tally: PaymentTally,
  options: TrafficOptions,
): Promise<PaceResult> {
  const first = options.firstIndex ?? 0;
  return pace({
    rate: options.rate,
    total: options.total,
    maxInFlight: options.maxInFlight,
    send: async (i) => {
      tally.sending();
      const sentAt = Date.now();
      try {
        const paymentId = await platform.pay(paymentOf(first + i, accounts, options.runId));
        tally.accept(paymentId);
        options.onAccepted(paymentId, sentAt);
      } catch (error) {
        tally.unexpectedAnswer(reasonOf(error));
      }
    },
  });
}

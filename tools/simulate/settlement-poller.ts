import { outcomeOf } from './payment-outcome';
import type { PaymentTally } from './payment-tally';
import { reasonOf, type PixPlatform } from './pix-platform';

/** The first look at a payment, then doubling up to the max: ~2 polls for a payment that settles fast. */
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 2000;

/**
 * Polls `GET /pix/payments/:id` of each accepted payment until its timeline shows it settled or
 * rejected, as a client of the API would. Request→settled is the timeline's settlement time minus
 * when the request was sent: exact whatever the poll interval, provided the simulator's clock and
 * the platform's agree (the same machine for `npm start`).
 */
export class SettlementPoller {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Polls whose answer has not come yet. */
  private inFlight = 0;

  constructor(
    private readonly platform: PixPlatform,
    private readonly tally: PaymentTally,
  ) {}

  track(paymentId: string, sentAt: number): void {
    this.schedule(paymentId, sentAt, FIRST_POLL_MS);
  }

  /** Resolves when no payment is being polled any more, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.timers.size + this.inFlight > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.stop();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(paymentId: string, sentAt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.poll(paymentId, sentAt, delayMs);
    }, delayMs);
    this.timers.add(timer);
  }

  private async poll(paymentId: string, sentAt: number, delayMs: number): Promise<void> {
    this.inFlight += 1;
    try {
      const body = await this.platform.payment(paymentId);
      const outcome = outcomeOf(body);
      if (outcome === undefined) {
        this.tally.unexpectedAnswer('GET /pix/payments/:id 200 without a timeline');
      } else if (outcome.kind === 'settled') {
        this.tally.settle(paymentId, outcome.settledAt - sentAt);
      } else if (outcome.kind === 'rejected') {
        this.tally.reject(paymentId, outcome.code);
      } else {
        this.schedule(paymentId, sentAt, Math.min(MAX_POLL_MS, delayMs * 2));
      }
    } catch (error) {
      this.tally.unexpectedAnswer(reasonOf(error));
    } finally {
      this.inFlight -= 1;
    }
  }
}

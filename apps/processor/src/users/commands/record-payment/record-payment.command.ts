import { Command } from '@nestjs/cqrs';
import type { Currency, PaymentMethod, RecordPaymentData } from '@event-hub/contracts';
import type { CommandMeta } from '../command-meta';

export interface RecordPaymentResult extends Record<string, unknown> {
  userId: string;
  paymentId: string;
  /** Canonical decimal string with two decimals, e.g. "149.90". */
  amount: string;
  currency: Currency;
  method: PaymentMethod;
  subscriptionId: string | null;
}

export class RecordPaymentCommand extends Command<RecordPaymentResult> {
  constructor(
    readonly data: RecordPaymentData,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

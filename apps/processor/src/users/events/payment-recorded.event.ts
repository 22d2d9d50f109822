import type { Currency, PaymentMethod } from '@event-hub/contracts';
import type { CommandMeta } from '../commands/command-meta';

export class PaymentRecordedEvent {
  constructor(
    readonly userId: string,
    readonly paymentId: string,
    /** Decimal string, e.g. "149.90". */
    readonly amount: string,
    readonly currency: Currency,
    readonly method: PaymentMethod,
    readonly meta: CommandMeta,
  ) {}
}

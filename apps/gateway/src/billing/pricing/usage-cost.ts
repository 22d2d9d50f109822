import { ExactDecimal } from './exact-decimal';
import type { PriceList } from './price-list';

/** Centavos: the one and only rounding, applied to a finished total. */
export const AMOUNT_DECIMALS = 2;
export const ROUNDING = 'half-up to 0.01, once, on each finished total';

/** Metered quantities, as Postgres sums them (int8 sums may exceed 2^53: bigint). */
export interface UsageQuantities {
  messages: bigint;
  bytes: bigint;
}

/** A cost, unrounded parts and total as exact decimal strings, and the amount due in centavos. */
export interface UsageCost {
  messages: string;
  bytes: string;
  total: string;
  amount: string;
}

/**
 * messages × price per message + bytes × price per byte, exactly; the amount is that total rounded
 * half-up to centavos. Because the price is linear, the cost of a sum of usage equals the sum of
 * the exact costs, so a total is always priced from summed quantities and rounded once.
 */
export function costOf(usage: UsageQuantities, prices: PriceList): UsageCost {
  const messages = ExactDecimal.count(usage.messages).times(prices.perMessage);
  const bytes = ExactDecimal.count(usage.bytes).times(prices.perByte);
  const total = messages.plus(bytes);
  return {
    messages: messages.toString(),
    bytes: bytes.toString(),
    total: total.toString(),
    amount: total.roundHalfUp(AMOUNT_DECIMALS).toFixed(),
  };
}

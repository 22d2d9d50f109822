import { toCents } from './money';

/** Stable rejection codes: clients and the statement rely on them, so they never change. */
export const ANTIFRAUD_CODES = {
  unknownReceiverKey: 'UNKNOWN_RECEIVER_KEY',
  /** The payer's or the receiver's account is closed (the ledger's ACCOUNT_CLOSED). */
  accountClosed: 'ACCOUNT_CLOSED',
  blockedKey: 'BLOCKED_KEY',
  selfPayment: 'SELF_PAYMENT',
  perTransactionLimit: 'LIMIT_PER_TRANSACTION',
  nightLimit: 'LIMIT_NIGHT',
  dailyLimit: 'LIMIT_DAILY',
  velocity: 'VELOCITY',
} as const;

export type AntifraudCode = (typeof ANTIFRAUD_CODES)[keyof typeof ANTIFRAUD_CODES];

export interface AntifraudLimits {
  /** Largest single payment, decimal string. */
  perTransaction: string;
  /** Largest single payment between 20:00 and 06:00 in {@link NIGHT.timeZone}. */
  nightPerTransaction: string;
  /** Largest total a payer may send per calendar day (in the same time zone). */
  daily: string;
  /** At most this many payments by one payer within `velocityWindowMinutes`. */
  velocityCount: number;
  velocityWindowMinutes: number;
}

/** The central bank's night window for PIX limits, in Brasília time. */
export const NIGHT = { timeZone: 'America/Sao_Paulo', startHour: 20, endHour: 6 } as const;

/** What the antifraud stage knows about one payment when it decides. */
export interface PaymentFacts {
  amount: string;
  payerAccountId: string;
  /** The account the receiver key resolves to in the payer's tenant; undefined if none. */
  receiver?: { accountId: string; keyBlocked: boolean; closed: boolean };
  /** Whether the payer's account is closed. */
  payerClosed: boolean;
  /** Whether a key of the payer's own account is blocked. */
  payerKeyBlocked: boolean;
  /** What the payer already sent today (requested or settled, not rejected), decimal string. */
  sentToday: string;
  /** Payments of the payer accepted within the velocity window, this one excluded. */
  recentPayments: number;
  /** When the payment was requested. */
  requestedAt: Date;
}

export type AntifraudDecision =
  | { verdict: 'validated'; receiverAccountId: string }
  | { verdict: 'rejected'; code: AntifraudCode };

const hourFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: NIGHT.timeZone,
  hour: 'numeric',
  hourCycle: 'h23',
});

export function isNightTime(at: Date): boolean {
  const hour = Number(hourFormat.format(at));
  return hour >= NIGHT.startHour || hour < NIGHT.endHour;
}

/**
 * The antifraud rules, first failing rule wins, in an order that names the most specific cause:
 * who the money goes to, then how much, then how often.
 */
export function decide(facts: PaymentFacts, limits: AntifraudLimits): AntifraudDecision {
  const reject = (code: AntifraudCode): AntifraudDecision => ({ verdict: 'rejected', code });
  if (!facts.receiver) return reject(ANTIFRAUD_CODES.unknownReceiverKey);
  if (facts.payerClosed || facts.receiver.closed) return reject(ANTIFRAUD_CODES.accountClosed);
  if (facts.receiver.keyBlocked || facts.payerKeyBlocked) return reject(ANTIFRAUD_CODES.blockedKey);
  if (facts.receiver.accountId === facts.payerAccountId) return reject(ANTIFRAUD_CODES.selfPayment);
  const amount = toCents(facts.amount);
  if (amount > toCents(limits.perTransaction)) return reject(ANTIFRAUD_CODES.perTransactionLimit);
  if (isNightTime(facts.requestedAt) && amount > toCents(limits.nightPerTransaction)) {
    return reject(ANTIFRAUD_CODES.nightLimit);
  }
  if (toCents(facts.sentToday) + amount > toCents(limits.daily)) {
    return reject(ANTIFRAUD_CODES.dailyLimit);
  }
  if (facts.recentPayments >= limits.velocityCount) return reject(ANTIFRAUD_CODES.velocity);
  return { verdict: 'validated', receiverAccountId: facts.receiver.accountId };
}

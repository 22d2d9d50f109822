/**
 * Commands the gateway accepts for users and publishes to `user_events`, keyed by `userId` so one
 * user's commands are processed in order. Command event types are imperative; the processor
 * answers each with a reply on `response_events` (see replies/command-reply.ts).
 */
export const USER_COMMANDS = {
  createUser: 'users.create_user',
  createSubscription: 'users.create_subscription',
  recordPayment: 'users.record_payment',
  updatePreferences: 'users.update_preferences',
} as const;

export type UserCommandType = (typeof USER_COMMANDS)[keyof typeof USER_COMMANDS];

export const SUBSCRIPTION_PLANS = ['basic', 'standard', 'premium'] as const;
export type SubscriptionPlan = (typeof SUBSCRIPTION_PLANS)[number];

export const BILLING_CYCLES = ['monthly', 'quarterly', 'yearly'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];

export const CURRENCIES = ['BRL', 'USD', 'EUR'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const PAYMENT_METHODS = ['pix', 'credit_card', 'debit_card', 'boleto'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Preferences are a bounded JSON object: at most this many keys and this many bytes serialized. */
export const PREFERENCES_LIMITS = { maxKeys: 50, maxBytes: 8 * 1024, maxDepth: 4 } as const;

export interface CreateUserData {
  /** Assigned by the gateway so the command can be keyed and the user found afterwards. */
  userId: string;
  name: string;
  email: string;
  /** CPF, 11 digits without punctuation, checksum already validated by the gateway. */
  document: string;
}

export interface CreateSubscriptionData {
  userId: string;
  /** Assigned by the gateway. */
  subscriptionId: string;
  plan: SubscriptionPlan;
  billingCycle: BillingCycle;
  /** ISO date, YYYY-MM-DD. */
  startDate: string;
}

export interface RecordPaymentData {
  userId: string;
  /** Assigned by the gateway. */
  paymentId: string;
  /** Decimal string with at most two decimals, e.g. "149.90"; never a float. */
  amount: string;
  currency: Currency;
  method: PaymentMethod;
  subscriptionId?: string;
}

export interface UpdatePreferencesData {
  userId: string;
  preferences: Record<string, unknown>;
}

export interface UserCommandDataByType {
  'users.create_user': CreateUserData;
  'users.create_subscription': CreateSubscriptionData;
  'users.record_payment': RecordPaymentData;
  'users.update_preferences': UpdatePreferencesData;
}

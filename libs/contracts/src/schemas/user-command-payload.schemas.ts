import {
  BILLING_CYCLES,
  CURRENCIES,
  PAYMENT_METHODS,
  SUBSCRIPTION_PLANS,
  USER_COMMANDS,
  type UserCommandType,
} from '../commands/user-commands';

const uuid = { type: 'string', format: 'uuid' } as const;

/**
 * JSON Schemas (draft-07) of each user command's `data`. They check shape and types only;
 * business rules (amount precision, preferences limits, uniqueness) belong to the handlers.
 * Unknown extra fields are tolerated so a newer gateway can add optional fields without breaking
 * an older reader. The processor checks commands against these before dispatch, and the gateway
 * registers them in the schema registry under the platform tenant.
 */
export const USER_COMMAND_PAYLOAD_SCHEMAS: Record<UserCommandType, Record<string, unknown>> = {
  [USER_COMMANDS.createUser]: {
    type: 'object',
    required: ['userId', 'name', 'email', 'document'],
    properties: {
      userId: uuid,
      name: { type: 'string', minLength: 1, maxLength: 200 },
      email: { type: 'string', format: 'email', maxLength: 320 },
      document: { type: 'string', pattern: '^[0-9]{11}$' },
    },
  },
  [USER_COMMANDS.createSubscription]: {
    type: 'object',
    required: ['userId', 'subscriptionId', 'plan', 'billingCycle', 'startDate'],
    properties: {
      userId: uuid,
      subscriptionId: uuid,
      plan: { enum: [...SUBSCRIPTION_PLANS] },
      billingCycle: { enum: [...BILLING_CYCLES] },
      startDate: { type: 'string', format: 'date' },
    },
  },
  [USER_COMMANDS.recordPayment]: {
    type: 'object',
    required: ['userId', 'paymentId', 'amount', 'currency', 'method'],
    properties: {
      userId: uuid,
      paymentId: uuid,
      // A string on purpose: a JSON number would already have gone through a binary float.
      amount: { type: 'string', maxLength: 40 },
      currency: { enum: [...CURRENCIES] },
      method: { enum: [...PAYMENT_METHODS] },
      subscriptionId: uuid,
    },
  },
  [USER_COMMANDS.updatePreferences]: {
    type: 'object',
    required: ['userId', 'preferences'],
    properties: {
      userId: uuid,
      preferences: { type: 'object' },
    },
  },
};

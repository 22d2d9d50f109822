/** JSON Schema (draft-07) of an `account_balances` value ({@link AccountBalanceRecord}). */
export const accountBalanceRecordSchema = {
  type: 'object',
  required: ['accountId', 'tenantId', 'balance', 'version', 'updatedAt'],
  properties: {
    accountId: { type: 'string', minLength: 1 },
    tenantId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    balance: { type: 'string', pattern: '^-?[0-9]+\\.[0-9]{2}$' },
    version: { type: 'integer', minimum: 0 },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

import {
  ACCOUNT_COMMANDS,
  ACCOUNT_PIX_KEY_TYPES,
  type AccountCommandType,
  type PlatformCommandType,
} from '../commands/account-commands';
import { USER_COMMAND_PAYLOAD_SCHEMAS } from './user-command-payload.schemas';

const uuid = { type: 'string', format: 'uuid' } as const;
// Strings on purpose: a JSON number would already have gone through a binary float.
const decimal = { type: 'string', pattern: '^-?[0-9]{1,16}\\.[0-9]{2}$' } as const;
const tenant = { type: 'string', minLength: 1, maxLength: 63 } as const;

/**
 * JSON Schemas (draft-07) of each account command's `data`: shape and types only, as for the user
 * commands; the ledger's rules (positive amounts, non-negative balances, unique keys) are the
 * handlers'.
 */
export const ACCOUNT_COMMAND_PAYLOAD_SCHEMAS: Record<
  AccountCommandType,
  Record<string, unknown>
> = {
  [ACCOUNT_COMMANDS.openAccount]: {
    type: 'object',
    required: ['accountId', 'userId', 'keys'],
    properties: {
      accountId: uuid,
      userId: uuid,
      keys: {
        type: 'array',
        maxItems: 20,
        items: {
          type: 'object',
          required: ['type', 'value'],
          properties: {
            type: { enum: [...ACCOUNT_PIX_KEY_TYPES] },
            value: { type: 'string', minLength: 1, maxLength: 77 },
          },
        },
      },
    },
  },
  [ACCOUNT_COMMANDS.deposit]: {
    type: 'object',
    required: ['accountId', 'accountTenantId', 'amount'],
    properties: { accountId: uuid, accountTenantId: tenant, amount: decimal },
  },
  [ACCOUNT_COMMANDS.adjustBalance]: {
    type: 'object',
    required: ['accountId', 'accountTenantId', 'balance', 'reason'],
    properties: {
      accountId: uuid,
      accountTenantId: tenant,
      balance: decimal,
      reason: { type: 'string', minLength: 1, maxLength: 500 },
    },
  },
  [ACCOUNT_COMMANDS.closeAccount]: {
    type: 'object',
    required: ['accountId'],
    properties: { accountId: uuid },
  },
};

/** The `data` schema of every command `user_events` carries. */
export const COMMAND_PAYLOAD_SCHEMAS: Record<PlatformCommandType, Record<string, unknown>> = {
  ...USER_COMMAND_PAYLOAD_SCHEMAS,
  ...ACCOUNT_COMMAND_PAYLOAD_SCHEMAS,
};

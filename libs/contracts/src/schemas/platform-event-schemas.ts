import { ACCOUNT_COMMANDS } from '../commands/account-commands';
import { USER_COMMANDS } from '../commands/user-commands';
import { accountBalanceRecordSchema } from '../balances/account-balance.schema';
import { envelopeSchemaFor, eventEnvelopeSchema } from '../envelope/event-envelope.schema';
import {
  PIX_EVENT_DATA_SCHEMAS,
  PIX_EVENT_TYPES,
  PIX_STAGE_TOPICS,
  pixEventSchema,
} from '../pix/pix-event-schemas';
import { COMMAND_REPLIES } from '../replies/command-reply';
import { TOPICS } from '../topics/topic-catalog';
import { USAGE_ACTIONS, USAGE_EVENT_TYPE } from '../usage/usage-event';
import { valueSubjectOf } from './schema-subject';
import { COMMAND_PAYLOAD_SCHEMAS } from './account-command-payload.schemas';

type JsonSchema = Record<string, unknown>;

/** `data` of a `command.completed` reply ({@link CommandCompletedData}). */
export const commandCompletedDataSchema: JsonSchema = {
  type: 'object',
  required: ['status', 'command', 'result'],
  properties: {
    status: { const: 'COMPLETED' },
    command: { type: 'string', minLength: 1 },
    result: { type: 'object' },
  },
};

/** `data` of a `command.failed` reply ({@link CommandFailedData}). */
export const commandFailedDataSchema: JsonSchema = {
  type: 'object',
  required: ['status', 'command', 'error'],
  properties: {
    status: { const: 'FAILED' },
    command: { type: 'string', minLength: 1 },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', minLength: 1 }, message: { type: 'string' } },
    },
  },
};

/** `data` of a `usage.recorded` event ({@link UsageEventData}). */
export const usageEventDataSchema: JsonSchema = {
  type: 'object',
  required: ['tenant', 'topic', 'clientId', 'action', 'messages', 'bytes', 'eventTime'],
  properties: {
    tenant: { type: 'string', minLength: 1, maxLength: 63 },
    topic: { type: 'string', minLength: 1, maxLength: 249 },
    clientId: { type: 'string', minLength: 1, maxLength: 200 },
    action: { enum: [...USAGE_ACTIONS] },
    messages: { type: 'integer', minimum: 0 },
    bytes: { type: 'integer', minimum: 0 },
    eventTime: { type: 'string', format: 'date-time' },
  },
};

export interface PlatformSchema {
  subject: string;
  schema: JsonSchema;
}

/** Subject of the bare envelope every platform topic carries. */
export const EVENT_ENVELOPE_SUBJECT = 'event-envelope';

/**
 * The platform's own event schemas, registered in the schema registry under the platform tenant:
 * the bare envelope, each topic's values (`<topic>-value`, Confluent's naming: commands, replies,
 * usage, the five PIX stages and the `account_balances` state records) and each event type's
 * `data` (`<eventType>-data`, the PIX notifications' too), so readers can fetch exactly the part
 * they need.
 */
export function platformSchemas(): PlatformSchema[] {
  const { $id: _id, ...envelope } = eventEnvelopeSchema;
  const commands = [...Object.values(USER_COMMANDS), ...Object.values(ACCOUNT_COMMANDS)];
  const replies = Object.values(COMMAND_REPLIES);
  return [
    { subject: EVENT_ENVELOPE_SUBJECT, schema: envelope },
    {
      subject: valueSubjectOf(TOPICS.userEvents),
      schema: envelopeSchemaFor(commands, {
        anyOf: commands.map((type) => COMMAND_PAYLOAD_SCHEMAS[type]),
      }),
    },
    {
      subject: valueSubjectOf(TOPICS.responseEvents),
      schema: envelopeSchemaFor(replies, {
        anyOf: [commandCompletedDataSchema, commandFailedDataSchema],
      }),
    },
    {
      subject: valueSubjectOf(TOPICS.usageEvents),
      schema: envelopeSchemaFor([USAGE_EVENT_TYPE], usageEventDataSchema),
    },
    ...commands.map((type) => ({
      subject: `${type}-data`,
      schema: COMMAND_PAYLOAD_SCHEMAS[type],
    })),
    { subject: `${COMMAND_REPLIES.completed}-data`, schema: commandCompletedDataSchema },
    { subject: `${COMMAND_REPLIES.failed}-data`, schema: commandFailedDataSchema },
    { subject: `${USAGE_EVENT_TYPE}-data`, schema: usageEventDataSchema },
    ...PIX_STAGE_TOPICS.map((topic) => ({
      subject: valueSubjectOf(topic),
      schema: pixEventSchema(topic),
    })),
    ...PIX_EVENT_TYPES.map((type) => ({
      subject: `${type}-data`,
      schema: PIX_EVENT_DATA_SCHEMAS[type],
    })),
    { subject: valueSubjectOf(TOPICS.accountBalances), schema: accountBalanceRecordSchema },
  ];
}

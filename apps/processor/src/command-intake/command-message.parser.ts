import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { KafkaMessage } from 'kafkajs';
import {
  COMMAND_ERROR_CODES,
  EVENT_HEADERS,
  ACCOUNT_COMMANDS,
  COMMAND_PAYLOAD_SCHEMAS,
  USER_COMMANDS,
  eventEnvelopeSchema,
  type EventEnvelope,
  type PlatformCommandDataByType,
  type PlatformCommandType,
} from '@event-hub/contracts';
import { decodeHeaders } from '@event-hub/kafka';

export type ParsedCommand = {
  [K in PlatformCommandType]: { type: K; data: PlatformCommandDataByType[K] };
}[PlatformCommandType];

/** A record that holds a well-formed command. */
export interface CommandRecord {
  kind: 'command';
  message: KafkaMessage;
  envelope: EventEnvelope;
  command: ParsedCommand;
  /** Every command acts within the tenant of the client that sent it. */
  tenantId: string;
  traceparent?: string;
}

/** A record that can never be processed: it goes to the dead-letter topic. */
export interface PoisonRecord {
  kind: 'poison';
  message: KafkaMessage;
  error: { code: string; message: string };
  /** Present when readable from the headers or the envelope: a FAILED reply can then be sent. */
  correlationId?: string;
  causationId?: string;
  /** The command type as far as it can be read, for the reply's `command` field. */
  commandType: string;
  tenantId?: string;
  traceparent?: string;
}

export type ParsedRecord = CommandRecord | PoisonRecord;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const KNOWN_COMMANDS: ReadonlySet<string> = new Set<string>([
  ...Object.values(USER_COMMANDS),
  ...Object.values(ACCOUNT_COMMANDS),
]);

const ajv = addFormats(new Ajv({ strict: true, allErrors: false }));
const validateEnvelope = ajv.compile<EventEnvelope>(eventEnvelopeSchema);
const validatePayload = Object.fromEntries(
  Object.entries(COMMAND_PAYLOAD_SCHEMAS).map(([type, schema]) => [type, ajv.compile(schema)]),
) as Record<PlatformCommandType, ValidateFunction>;

/** Reads one `user_events` record; never throws, whatever the bytes. */
export function parseCommandMessage(message: KafkaMessage): ParsedRecord {
  const headers = decodeHeaders(message.headers);
  const fromHeaders = {
    correlationId: asUuid(headers[EVENT_HEADERS.correlationId]),
    causationId: asUuid(headers[EVENT_HEADERS.eventId]),
    commandType: headers[EVENT_HEADERS.eventType] ?? 'unknown',
    traceparent: headers[EVENT_HEADERS.traceparent],
  };
  const poison = (code: string, text: string, envelope?: Partial<EventEnvelope>): PoisonRecord =>
    withoutUndefined({
      kind: 'poison' as const,
      message,
      error: { code, message: text },
      correlationId: asUuid(envelope?.metadata?.correlationId) ?? fromHeaders.correlationId,
      causationId: asUuid(envelope?.eventId) ?? fromHeaders.causationId,
      commandType:
        typeof envelope?.eventType === 'string' ? envelope.eventType : fromHeaders.commandType,
      tenantId: typeof envelope?.tenantId === 'string' ? envelope.tenantId : undefined,
      traceparent: fromHeaders.traceparent,
    });

  if (!message.value || message.value.length === 0) {
    return poison(COMMAND_ERROR_CODES.malformedCommand, 'the record has no value');
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return poison(
      COMMAND_ERROR_CODES.malformedCommand,
      `the value is not JSON: ${(error as Error).message}`,
    );
  }
  const loose = isObject(json) ? (json as Partial<EventEnvelope>) : undefined;
  if (!validateEnvelope(json)) {
    const reason = ajv.errorsText(validateEnvelope.errors, { dataVar: 'envelope' });
    return poison(COMMAND_ERROR_CODES.malformedCommand, `not an event envelope: ${reason}`, loose);
  }
  const envelope = json;
  if (holdsNul(envelope)) {
    // Postgres text and jsonb cannot store NUL: retrying would only fail the same way.
    return poison(
      COMMAND_ERROR_CODES.malformedCommand,
      'a string contains a NUL character',
      envelope,
    );
  }
  if (typeof envelope.tenantId !== 'string' || envelope.tenantId.length === 0) {
    // Without a tenant the command could touch any tenant's users: never guess one.
    return poison(COMMAND_ERROR_CODES.malformedCommand, 'the command names no tenant', envelope);
  }
  const tenantId = envelope.tenantId;
  if (!KNOWN_COMMANDS.has(envelope.eventType)) {
    return poison(
      COMMAND_ERROR_CODES.unknownCommand,
      `unknown command type "${envelope.eventType}"`,
      envelope,
    );
  }
  const type = envelope.eventType as PlatformCommandType;
  const validate = validatePayload[type];
  if (!validate(envelope.data)) {
    const reason = ajv.errorsText(validate.errors, { dataVar: 'data' });
    return poison(
      COMMAND_ERROR_CODES.malformedCommand,
      `invalid ${type} payload: ${reason}`,
      envelope,
    );
  }
  return withoutUndefined({
    kind: 'command' as const,
    message,
    envelope,
    command: { type, data: envelope.data } as ParsedCommand,
    tenantId,
    traceparent: fromHeaders.traceparent,
  });
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, child]) => key.includes('\u0000') || holdsNul(child));
}

function asUuid(value: unknown): string | undefined {
  return typeof value === 'string' && UUID.test(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { COMMAND_ERROR_CODES, USER_COMMANDS, createEnvelope } from '@event-hub/contracts';
import { parseCommandMessage, type PoisonRecord } from './command-message.parser';

function record(value: string | null, headers: Record<string, string> = {}): KafkaMessage {
  return {
    key: Buffer.from('k'),
    value: value === null ? null : Buffer.from(value),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
    offset: '7',
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
}

const userId = randomUUID();
const command = (eventType: string, data: unknown) =>
  createEnvelope({
    eventType,
    source: 'gateway',
    data,
    correlationId: randomUUID(),
    tenantId: 'acme',
  });

function poison(value: string | null, headers: Record<string, string> = {}): PoisonRecord {
  const parsed = parseCommandMessage(record(value, headers));
  if (parsed.kind !== 'poison') throw new Error('expected a poison record');
  return parsed;
}

describe('command message parser', () => {
  it('reads a well-formed create_user command', () => {
    const envelope = command(USER_COMMANDS.createUser, {
      userId,
      name: 'Ana',
      email: 'ana@example.com',
      document: '52998224725',
    });
    const parsed = parseCommandMessage(record(JSON.stringify(envelope), { traceparent: 'tp' }));
    expect(parsed).toMatchObject({
      kind: 'command',
      envelope,
      command: { type: USER_COMMANDS.createUser, data: envelope.data },
      tenantId: 'acme',
      traceparent: 'tp',
    });
  });

  it('calls a command that names no tenant malformed: it could touch any tenant', () => {
    const { tenantId: _dropped, ...withoutTenant } = command(USER_COMMANDS.updatePreferences, {
      userId,
      preferences: {},
    });
    expect(poison(JSON.stringify(withoutTenant)).error).toEqual({
      code: 'COMMAND.MALFORMED',
      message: 'the command names no tenant',
    });
  });

  it('tolerates fields a newer gateway may add to the payload', () => {
    const envelope = command(USER_COMMANDS.updatePreferences, {
      userId,
      preferences: {},
      note: 'new',
    });
    expect(parseCommandMessage(record(JSON.stringify(envelope))).kind).toBe('command');
  });

  it('calls a value that is not JSON malformed, keeping the correlation id from the headers', () => {
    const correlationId = randomUUID();
    const result = poison('{not json', {
      'correlation-id': correlationId,
      'event-type': 'users.create_user',
    });
    expect(result.error.code).toBe(COMMAND_ERROR_CODES.malformedCommand);
    expect(result.error.message).toMatch(/not JSON/);
    expect(result.correlationId).toBe(correlationId);
    expect(result.commandType).toBe('users.create_user');
  });

  it('has no correlation id to answer when neither headers nor value carry a valid one', () => {
    const result = poison('garbage', { 'correlation-id': 'not-a-uuid' });
    expect(result.correlationId).toBeUndefined();
    expect(result.commandType).toBe('unknown');
  });

  it('calls an empty record malformed', () => {
    expect(poison(null).error.message).toMatch(/no value/);
  });

  it('calls JSON that is not an envelope malformed but still reads its correlation id', () => {
    const correlationId = randomUUID();
    const result = poison(
      JSON.stringify({ eventType: 'users.create_user', metadata: { correlationId } }),
    );
    expect(result.error.code).toBe(COMMAND_ERROR_CODES.malformedCommand);
    expect(result.error.message).toMatch(/not an event envelope/);
    expect(result.correlationId).toBe(correlationId);
  });

  it('calls an envelope of another event type an unknown command', () => {
    const envelope = command('users.delete_user', { userId });
    const result = poison(JSON.stringify(envelope));
    expect(result).toMatchObject({
      error: { code: COMMAND_ERROR_CODES.unknownCommand },
      correlationId: envelope.metadata.correlationId,
      causationId: envelope.eventId,
      commandType: 'users.delete_user',
    });
  });

  it('calls a command holding a NUL character malformed, since Postgres cannot store it', () => {
    const envelope = command(USER_COMMANDS.updatePreferences, {
      userId,
      preferences: { note: 'a\u0000b' },
    });
    expect(poison(JSON.stringify(envelope)).error.message).toMatch(/NUL/);
  });

  it.each([
    [
      'a payment amount sent as a number',
      USER_COMMANDS.recordPayment,
      { userId, paymentId: userId, amount: 10.5, currency: 'BRL', method: 'pix' },
    ],
    [
      'an unknown plan',
      USER_COMMANDS.createSubscription,
      {
        userId,
        subscriptionId: userId,
        plan: 'gold',
        billingCycle: 'monthly',
        startDate: '2025-01-01',
      },
    ],
    [
      'an impossible start date',
      USER_COMMANDS.createSubscription,
      {
        userId,
        subscriptionId: userId,
        plan: 'basic',
        billingCycle: 'monthly',
        startDate: '2025-02-30',
      },
    ],
    [
      'a document with punctuation',
      USER_COMMANDS.createUser,
      { userId, name: 'Ana', email: 'a@b.co', document: '529.982.247-25' },
    ],
    [
      'a user id that is not a UUID',
      USER_COMMANDS.updatePreferences,
      { userId: '42', preferences: {} },
    ],
    [
      'preferences that are not an object',
      USER_COMMANDS.updatePreferences,
      { userId, preferences: 'dark' },
    ],
  ])('calls %s a malformed payload', (_, type, data) => {
    const result = poison(JSON.stringify(command(type, data)));
    expect(result.error.code).toBe(COMMAND_ERROR_CODES.malformedCommand);
    expect(result.error.message).toMatch(new RegExp(`invalid ${type.replace('.', '\\.')} payload`));
  });
});

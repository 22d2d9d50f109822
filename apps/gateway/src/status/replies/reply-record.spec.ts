import { COMMAND_REPLIES, createEnvelope, type CommandReplyData } from '@event-hub/contracts';
import { lastReplyPerCommand, readReply } from './reply-record';

const correlationId = '0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e';
const now = new Date('2025-01-15T12:00:01.000Z');

function replyValue(data: CommandReplyData, id = correlationId): Buffer {
  const envelope = createEnvelope({
    eventType: data.status === 'COMPLETED' ? COMMAND_REPLIES.completed : COMMAND_REPLIES.failed,
    source: 'processor',
    data,
    correlationId: id,
    tenantId: 'acme',
    timestamp: new Date('2025-01-15T12:00:00.042Z'),
  });
  return Buffer.from(JSON.stringify(envelope));
}

describe('reading replies', () => {
  it('reads a COMPLETED reply with its result, tenant and the time the processor answered', () => {
    const value = replyValue({
      status: 'COMPLETED',
      command: 'users.create_user',
      result: { userId: 'u1' },
    });
    expect(readReply(value, {}, now)).toEqual({
      reply: {
        correlationId,
        command: 'users.create_user',
        tenantId: 'acme',
        status: 'COMPLETED',
        result: { userId: 'u1' },
        error: null,
        completedAt: new Date('2025-01-15T12:00:00.042Z'),
      },
    });
  });

  it('reads a FAILED reply with its code and message', () => {
    const value = replyValue({
      status: 'FAILED',
      command: 'users.create_user',
      error: { code: 'USER.EMAIL_TAKEN', message: 'taken' },
    });
    expect(readReply(value, {}, now)).toMatchObject({
      reply: {
        status: 'FAILED',
        result: null,
        error: { code: 'USER.EMAIL_TAKEN', message: 'taken' },
      },
    });
  });

  it('takes the correlation id from the header when the envelope lacks it', () => {
    const value = Buffer.from(
      JSON.stringify({ data: { status: 'COMPLETED', command: 'c', result: {} } }),
    );
    expect(readReply(value, { 'correlation-id': Buffer.from(correlationId) }, now)).toMatchObject({
      reply: { correlationId, completedAt: now },
    });
  });

  it.each([
    ['not JSON', Buffer.from('{oops'), 'value is not JSON'],
    [
      'no correlation id',
      Buffer.from(JSON.stringify({ data: { status: 'COMPLETED' } })),
      'no UUID correlation id',
    ],
    [
      'an unknown status',
      Buffer.from(JSON.stringify({ metadata: { correlationId }, data: { status: 'MAYBE' } })),
      'unknown reply status "MAYBE"',
    ],
  ])('skips a record with %s', (_, value, why) => {
    expect(readReply(value, {}, now)).toEqual({ skipped: why });
  });

  it('keeps the last reply of a command that appears twice in a batch', () => {
    const first = {
      correlationId,
      command: 'c',
      tenantId: null,
      status: 'FAILED' as const,
      result: null,
      error: { code: 'X', message: 'x' },
      completedAt: now,
    };
    const other = { ...first, correlationId: '11111111-2222-4333-8444-555555555555' };
    const second = { ...first, status: 'COMPLETED' as const, result: {}, error: null };
    expect(lastReplyPerCommand([first, other, second])).toEqual([other, second]);
  });
});

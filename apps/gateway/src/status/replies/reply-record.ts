import type { IHeaders } from 'kafkajs';
import { EVENT_HEADERS } from '@event-hub/contracts';
import { decodeHeaders } from '@event-hub/kafka';
import type { CommandReply } from '../../command-acceptance/command-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ReadReply = { reply: CommandReply } | { skipped: string };

/**
 * Reads one record of the reply topic: an envelope whose `data` is a CommandReplyData. The
 * correlation id comes from the envelope's metadata, or from the header when the body lacks it.
 */
export function readReply(
  value: Buffer | null,
  headers: IHeaders | undefined,
  receivedAt: Date,
): ReadReply {
  let envelope: unknown;
  try {
    envelope = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    return { skipped: 'value is not JSON' };
  }
  if (!isObject(envelope)) return { skipped: 'value is not a JSON object' };
  const metadata = isObject(envelope['metadata']) ? envelope['metadata'] : {};
  const correlationId =
    stringOr(metadata['correlationId']) ?? decodeHeaders(headers)[EVENT_HEADERS.correlationId];
  if (!correlationId || !UUID.test(correlationId)) return { skipped: 'no UUID correlation id' };

  const data = envelope['data'];
  if (!isObject(data)) return { skipped: 'no reply data' };
  const command = stringOr(data['command']) ?? null;
  const tenantId = stringOr(envelope['tenantId']) ?? null;
  const completedAt = timestampOr(envelope['timestamp'], receivedAt);
  if (data['status'] === 'COMPLETED') {
    const result = isObject(data['result']) ? data['result'] : {};
    return {
      reply: {
        correlationId,
        command,
        tenantId,
        status: 'COMPLETED',
        result,
        error: null,
        completedAt,
      },
    };
  }
  if (data['status'] === 'FAILED') {
    const error = isObject(data['error']) ? data['error'] : {};
    return {
      reply: {
        correlationId,
        command,
        tenantId,
        status: 'FAILED',
        result: null,
        error: {
          code: stringOr(error['code']) ?? 'COMMAND.PROCESSING_FAILED',
          message: stringOr(error['message']) ?? 'The command failed',
        },
        completedAt,
      },
    };
  }
  return { skipped: `unknown reply status ${JSON.stringify(data['status'])}` };
}

/** One reply per correlation id, the last one read: a batch may carry a redelivered reply twice. */
export function lastReplyPerCommand(replies: CommandReply[]): CommandReply[] {
  const byId = new Map<string, CommandReply>();
  for (const reply of replies) {
    byId.delete(reply.correlationId);
    byId.set(reply.correlationId, reply);
  }
  return [...byId.values()];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function timestampOr(value: unknown, fallback: Date): Date {
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : fallback;
}

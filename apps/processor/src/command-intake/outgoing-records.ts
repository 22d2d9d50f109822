import type { Context } from '@opentelemetry/api';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import {
  COMMAND_REPLIES,
  type CommandReplyData,
  createEnvelope,
  DEAD_LETTER_HEADERS,
  envelopeHeaders,
  type EventEnvelope,
} from '@event-hub/contracts';
import { encodeHeaders } from '@event-hub/kafka';
import { injectTraceHeaders } from '@event-hub/observability';

export type ReplyEnvelope = EventEnvelope<CommandReplyData>;

export interface ReplyTarget {
  correlationId: string;
  /** The command's event id, when known. */
  causationId?: string;
  tenantId?: string;
}

export const PROCESSOR_SOURCE = 'processor';

/** The reply envelope: same correlation id as the command, caused by the command event. */
export function createReply(target: ReplyTarget, data: CommandReplyData): ReplyEnvelope {
  return createEnvelope({
    eventType: data.status === 'COMPLETED' ? COMMAND_REPLIES.completed : COMMAND_REPLIES.failed,
    source: PROCESSOR_SOURCE,
    data,
    correlationId: target.correlationId,
    causationId: target.causationId,
    tenantId: target.tenantId,
  });
}

/**
 * The reply as a `response_events` record, keyed by correlation id, carrying the trace of the
 * command's handling (`trace`) so the gateway's recording of it continues the command's trace.
 */
export function replyRecord(reply: ReplyEnvelope, trace: Context): Message {
  return {
    key: reply.metadata.correlationId,
    value: JSON.stringify(reply),
    headers: encodeHeaders({ ...envelopeHeaders(reply), ...injectTraceHeaders({}, trace) }),
  };
}

export interface DeadLetter {
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: { code: string; message: string };
  attempts: number;
}

/** The original record, untouched, with the reason and origin added as headers. */
export function deadLetterRecord({
  topic,
  partition,
  message,
  error,
  attempts,
}: DeadLetter): Message {
  const headers: IHeaders = {
    ...(message.headers ?? {}),
    ...encodeHeaders({
      [DEAD_LETTER_HEADERS.error]: error.message.slice(0, 2000),
      [DEAD_LETTER_HEADERS.errorCode]: error.code,
      [DEAD_LETTER_HEADERS.originalTopic]: topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(partition),
      [DEAD_LETTER_HEADERS.originalOffset]: message.offset,
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
    }),
  };
  return { key: message.key, value: message.value, headers, timestamp: message.timestamp };
}

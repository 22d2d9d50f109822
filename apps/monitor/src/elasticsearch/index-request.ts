import type { LogDocument } from './log-document';

/**
 * What a stored record becomes, in order of escalation: its log document; if Elasticsearch
 * rejects that (mapping, size), a dead-letter document with the reason; if even that is
 * rejected, a minimal dead-letter document with only the coordinates and the reason.
 */
export type RequestKind = 'log' | 'dead-letter' | 'dead-letter-minimal';

/**
 * One bulk `create` of one document, encoded once: the same bytes (action line and document line,
 * UTF-8, each ending in a newline) go into a bulk request body and, when Elasticsearch is down,
 * into the fallback file, which is therefore replayed as bulk bodies without re-encoding.
 */
export interface IndexRequest {
  index: string;
  id: string;
  kind: RequestKind;
  /** `{"create":{"_index":…,"_id":…}}\n{…document…}\n` */
  bytes: Buffer;
}

export function createIndexRequest(
  index: string,
  id: string,
  kind: RequestKind,
  document: object,
): IndexRequest {
  const action = JSON.stringify({ create: { _index: index, _id: id } });
  return { index, id, kind, bytes: Buffer.from(`${action}\n${JSON.stringify(document)}\n`) };
}

/** Bytes in a bulk body. */
export function requestSize(request: IndexRequest): number {
  return request.bytes.length;
}

/** The action and document lines, as text. */
export function requestLines(request: IndexRequest): [action: string, source: string] {
  const newline = request.bytes.indexOf(0x0a);
  return [
    request.bytes.toString('utf8', 0, newline),
    request.bytes.toString('utf8', newline + 1, request.bytes.length - 1),
  ];
}

export interface Rejection {
  type: string;
  reason: string;
}

/** The fields a dead-letter document keeps from the rejected one (never the payload). */
type DeadLetterBase = Omit<Partial<LogDocument>, 'payload'>;

export interface DeadLetterDocument extends DeadLetterBase {
  deadLetter: {
    type: string;
    reason: string;
    index: string;
    at: string;
    contentOmitted?: boolean;
  };
}

const MAX_REASON = 4000;

/**
 * The next escalation of a request Elasticsearch rejected, or undefined when there is none left
 * (a minimal dead-letter document was rejected too).
 */
export function deadLetterFor(
  request: IndexRequest,
  rejection: Rejection,
  deadLetterIndex: string,
  nowMs: number,
): IndexRequest | undefined {
  if (request.kind === 'dead-letter-minimal') return undefined;
  const original = parseSource(requestLines(request)[1]);
  const deadLetter = {
    type: rejection.type,
    reason: rejection.reason.slice(0, MAX_REASON),
    index: request.kind === 'log' ? request.index : (original.deadLetter?.index ?? request.index),
    at: new Date(nowMs).toISOString(),
  };
  if (request.kind === 'log') {
    const { payload: _payload, ...kept } = original;
    return createIndexRequest(deadLetterIndex, request.id, 'dead-letter', { ...kept, deadLetter });
  }
  const minimal: DeadLetterDocument = {
    '@timestamp': original['@timestamp'],
    readAt: original.readAt,
    topic: original.topic,
    partition: original.partition,
    offset: original.offset,
    deadLetter: { ...deadLetter, contentOmitted: true },
  };
  return createIndexRequest(deadLetterIndex, request.id, 'dead-letter-minimal', minimal);
}

function parseSource(source: string): Partial<LogDocument> & Partial<DeadLetterDocument> {
  try {
    const parsed: unknown = JSON.parse(source);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** A rejection reason with its cause, as Elasticsearch nests them. */
export function describeRejection(error: unknown): Rejection {
  if (typeof error !== 'object' || error === null)
    return { type: 'unknown', reason: String(error) };
  const e = error as { type?: unknown; reason?: unknown; caused_by?: unknown };
  const type = typeof e.type === 'string' ? e.type : 'unknown';
  let reason = typeof e.reason === 'string' ? e.reason : JSON.stringify(error);
  if (e.caused_by !== undefined) reason += ` (caused by ${describeRejection(e.caused_by).reason})`;
  return { type, reason };
}

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
  const action = `${actionPrefix(index)}${JSON.stringify(id)}}}\n`;
  return { index, id, kind, bytes: encodeLines(action, JSON.stringify(document)) };
}

/** `{"create":{"_index":"<index>","_id":` of the last index asked for (one per day in practice). */
let prefixIndex: string | undefined;
let prefixText = '';

function actionPrefix(index: string): string {
  if (index !== prefixIndex) {
    prefixText = `{"create":{"_index":${JSON.stringify(index)},"_id":`;
    prefixIndex = index;
  }
  return prefixText;
}

/**
 * Requests are encoded into shared slabs, one after the other, rather than each into a buffer of
 * its own: the action line and the document are written where they go, in one UTF-8 pass and
 * without first joining them into one more string, and the requests of a batch, accepted in a
 * row, are one contiguous range of a slab, which a bulk body or a fallback append takes as it is
 * instead of copying ({@link joinRequests}). A slab is only ever written forward, and is freed
 * once no request in it is referenced any more.
 */
const SLAB_BYTES = 4 * 1024 * 1024;
/** Larger documents get a buffer of their own, so a slab is not left mostly empty for one. */
const MAX_SLAB_TEXT = SLAB_BYTES / 16;
const NEWLINE = 0x0a;
let slab = Buffer.allocUnsafeSlow(0);
let slabUsed = 0;

/** `action` (ending in a newline), then `source` and a newline. */
function encodeLines(action: string, source: string): Buffer {
  // Three bytes per UTF-16 unit at most (a surrogate pair: four bytes for two units).
  const worstCase = (action.length + source.length) * 3 + 1;
  if (worstCase > MAX_SLAB_TEXT) return Buffer.from(`${action}${source}\n`);
  if (slab.length - slabUsed < worstCase) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const start = slabUsed;
  let end = start + slab.write(action, start);
  end += slab.write(source, end);
  slab[end++] = NEWLINE;
  slabUsed = end;
  return slab.subarray(start, end);
}

/**
 * The bytes of the requests one after the other (a bulk body, a fallback append): requests that
 * lie next to each other in memory (encoded in a row into one slab, or read in a row from one
 * fallback chunk) are taken as one range, so a batch usually costs no copy at all.
 */
export function joinRequests(requests: readonly IndexRequest[]): Buffer {
  const ranges: Buffer[] = [];
  let first: Buffer | undefined;
  let end = 0;
  const close = (): void => {
    if (first === undefined) return;
    const length = end - first.byteOffset;
    ranges.push(
      length === first.length ? first : Buffer.from(first.buffer, first.byteOffset, length),
    );
  };
  for (const { bytes } of requests) {
    if (first === undefined || bytes.buffer !== first.buffer || bytes.byteOffset !== end) {
      close();
      first = bytes;
    }
    end = bytes.byteOffset + bytes.length;
  }
  close();
  return ranges.length === 1 ? (ranges[0] as Buffer) : Buffer.concat(ranges);
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

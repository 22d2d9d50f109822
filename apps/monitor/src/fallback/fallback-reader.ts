import { createReadStream } from 'node:fs';
import type { IndexRequest, RequestKind } from '../elasticsearch/index-request';

export interface ReadChunkOptions {
  maxDocs: number;
  maxBytes: number;
  deadLetterIndex: string;
}

export interface FallbackChunk {
  requests: IndexRequest[];
  /** Lines that were not a complete action/document pair (a torn tail after a crash). */
  skippedLines: number;
}

const NEWLINE = 0x0a;
const CONTENT_OMITTED = Buffer.from('"contentOmitted":true');

/**
 * Reads a fallback file back as bulk-sized chunks of requests, in file order. Each request's
 * bytes are the two lines exactly as written (a slice of what was read, not re-encoded), so they
 * go straight into bulk bodies. Only complete lines count: a last line without its newline, or an
 * action line whose document line is missing, is the torn tail of a write that was never fsync'd
 * and acknowledged (so its records were never committed in Kafka and will be read again) and is
 * skipped.
 */
export async function* readFallbackChunks(
  path: string,
  options: ReadChunkOptions,
): AsyncGenerator<FallbackChunk> {
  let requests: IndexRequest[] = [];
  let bytes = 0;
  let skippedLines = 0;
  let remainder: Buffer = Buffer.alloc(0);

  for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const data =
      remainder.length > 0 ? Buffer.concat([remainder, piece as Buffer]) : (piece as Buffer);
    let start = 0;
    // Walks complete pairs: action line [start, actionEnd), document line (actionEnd, sourceEnd).
    for (;;) {
      const actionEnd = data.indexOf(NEWLINE, start);
      if (actionEnd < 0) break;
      if (actionEnd === start) {
        start++;
        continue;
      }
      const action = parseAction(data.toString('utf8', start, actionEnd));
      if (!action) {
        skippedLines++;
        start = actionEnd + 1;
        continue;
      }
      const sourceEnd = data.indexOf(NEWLINE, actionEnd + 1);
      if (sourceEnd < 0) break;
      const request: IndexRequest = {
        ...action,
        kind: kindOf(action.index, data, actionEnd + 1, sourceEnd, options.deadLetterIndex),
        bytes: data.subarray(start, sourceEnd + 1),
      };
      start = sourceEnd + 1;
      requests.push(request);
      bytes += request.bytes.length;
      if (requests.length >= options.maxDocs || bytes >= options.maxBytes) {
        yield { requests, skippedLines };
        requests = [];
        bytes = 0;
        skippedLines = 0;
      }
    }
    remainder = data.subarray(start);
  }
  if (remainder.length > 0) {
    let lines = remainder[remainder.length - 1] === NEWLINE ? 0 : 1;
    for (const byte of remainder) if (byte === NEWLINE) lines++;
    skippedLines += lines;
  }
  if (requests.length > 0 || skippedLines > 0) yield { requests, skippedLines };
}

function parseAction(line: string): { index: string; id: string } | undefined {
  try {
    const parsed = JSON.parse(line) as { create?: { _index?: unknown; _id?: unknown } };
    const index = parsed.create?._index;
    const id = parsed.create?._id;
    return typeof index === 'string' && typeof id === 'string' ? { index, id } : undefined;
  } catch {
    return undefined;
  }
}

function kindOf(
  index: string,
  data: Buffer,
  from: number,
  to: number,
  deadLetterIndex: string,
): RequestKind {
  if (index !== deadLetterIndex) return 'log';
  return data.subarray(from, to).includes(CONTENT_OMITTED) ? 'dead-letter-minimal' : 'dead-letter';
}

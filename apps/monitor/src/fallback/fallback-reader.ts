import { createReadStream } from 'node:fs';
import type { IndexRequest, RequestKind } from '../ingestion/index-request';

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

/**
 * Reads a fallback file back as bulk-sized chunks of requests, in file order. Only complete lines
 * count: a last line without its newline, or an action line whose document line is missing, is
 * the torn tail of a write that was never fsync'd and acknowledged (so its records were never
 * committed in Kafka and will be read again) and is skipped.
 */
export async function* readFallbackChunks(
  path: string,
  options: ReadChunkOptions,
): AsyncGenerator<FallbackChunk> {
  let requests: IndexRequest[] = [];
  let bytes = 0;
  let skippedLines = 0;
  let action: { line: string; index: string; id: string } | undefined;
  let remainder = '';

  for await (const piece of createReadStream(path, {
    encoding: 'utf8',
    highWaterMark: 1024 * 1024,
  })) {
    const text = remainder + (piece as string);
    const lines = text.split('\n');
    remainder = lines.pop() ?? '';
    for (const line of lines) {
      if (line.length === 0) continue;
      if (!action) {
        action = parseAction(line);
        if (!action) skippedLines++;
        continue;
      }
      const request: IndexRequest = {
        index: action.index,
        id: action.id,
        kind: kindOf(action.index, line, options.deadLetterIndex),
        action: action.line,
        source: line,
      };
      action = undefined;
      requests.push(request);
      bytes += request.action.length + request.source.length + 2;
      if (requests.length >= options.maxDocs || bytes >= options.maxBytes) {
        yield { requests, skippedLines };
        requests = [];
        bytes = 0;
        skippedLines = 0;
      }
    }
  }
  if (remainder.length > 0) skippedLines++;
  if (action) skippedLines++;
  if (requests.length > 0 || skippedLines > 0) yield { requests, skippedLines };
}

function parseAction(line: string): { line: string; index: string; id: string } | undefined {
  try {
    const parsed = JSON.parse(line) as { create?: { _index?: unknown; _id?: unknown } };
    const index = parsed.create?._index;
    const id = parsed.create?._id;
    return typeof index === 'string' && typeof id === 'string' ? { line, index, id } : undefined;
  } catch {
    return undefined;
  }
}

function kindOf(index: string, source: string, deadLetterIndex: string): RequestKind {
  if (index !== deadLetterIndex) return 'log';
  return source.includes('"contentOmitted":true') ? 'dead-letter-minimal' : 'dead-letter';
}

import { Logger } from '@nestjs/common';
import type { Client, estypes } from '@elastic/elasticsearch';
import {
  deadLetterFor,
  describeRejection,
  joinRequests,
  type IndexRequest,
  type Rejection,
} from './index-request';

/** How one request ended. `failed` = not stored within the retry budget (spill or retry later). */
export type WriteOutcome = 'created' | 'duplicate' | 'dead-lettered' | 'unindexable' | 'failed';

export interface WriteItem {
  /** The latest escalation of the request (a dead-letter request once the original was rejected). */
  request: IndexRequest;
  outcome?: WriteOutcome;
}

export interface WriteResult {
  items: WriteItem[];
  /** Why the `failed` items failed (the last transport error or item error). */
  lastError?: string;
}

export type WritePath = 'direct' | 'replay';

export interface BulkWriterHooks {
  onBulk?(path: WritePath, seconds: number, documents: number): void;
  onOutcome?(path: WritePath, outcome: WriteOutcome, count: number): void;
  onDeadLetter?(rejection: Rejection): void;
}

export interface BulkWriterOptions {
  deadLetterIndex: string;
  requestTimeoutMs: number;
}

const RESPONSE_FIELDS = [
  'errors',
  'items.*.status',
  'items.*.error.type',
  'items.*.error.reason',
  'items.*.error.caused_by',
].join(',');

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1000;

/**
 * Sends bulk `create` requests with the official client's `bulk()` and walks every item of the
 * answer (helpers.bulk drops documents after its retries and cannot map results to offsets):
 *
 * - 201 created and 409 conflict (the id already exists: an earlier attempt stored it) = stored;
 * - 400 (mapping or parsing rejection) and 413 (too large) = the document itself is wrong:
 *   escalate to a dead-letter document with the reason, sent in the next round without delay;
 * - anything else (429, 5xx, 404 index missing, 403 read-only block, transport errors) is the
 *   cluster's state, not the document's: retried with backoff until the budget is spent, then
 *   reported `failed` for the caller to spill to disk.
 */
export class BulkWriter {
  private readonly logger = new Logger(BulkWriter.name);

  constructor(
    private readonly client: Client,
    private readonly options: BulkWriterOptions,
    private readonly hooks: BulkWriterHooks = {},
  ) {}

  /**
   * Writes the requests, retrying what the cluster could not take for up to `budgetMs`, or until
   * `giveUp()` says so (another batch already found the cluster down: no point in waiting).
   */
  async write(
    requests: readonly IndexRequest[],
    budgetMs: number,
    path: WritePath,
    giveUp: () => boolean = () => false,
  ): Promise<WriteResult> {
    const items: WriteItem[] = requests.map((request) => ({ request }));
    const deadline = Date.now() + budgetMs;
    let backoff = FIRST_BACKOFF_MS;
    let lastError: string | undefined;
    let open = items;
    while (open.length > 0) {
      const round = await this.send(open, path);
      lastError = round.error ?? lastError;
      open = round.retry;
      if (open.length === 0) break;
      if (!round.needsBackoff) continue;
      if (Date.now() + backoff > deadline || giveUp()) {
        for (const item of open) item.outcome = 'failed';
        break;
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    this.count(items, path);
    return lastError === undefined ? { items } : { items, lastError };
  }

  private async send(
    items: WriteItem[],
    path: WritePath,
  ): Promise<{ retry: WriteItem[]; needsBackoff: boolean; error?: string }> {
    // client.bulk() hands `body` to the transport untouched, so the NDJSON goes out as the bytes
    // the requests already are (usually one range of a slab, not even copied): a multi-megabyte
    // string body would be built, flattened and measured again, which costs more CPU than all the
    // rest of the request.
    const body = joinRequests(items.map(({ request }) => request));
    const params = { body, filter_path: RESPONSE_FIELDS } as unknown as estypes.BulkRequest;
    const started = performance.now();
    let response: estypes.BulkResponse;
    try {
      response = await this.client.bulk(params, {
        requestTimeout: this.options.requestTimeoutMs,
        maxRetries: 0,
      });
    } catch (error) {
      const status = statusOf(error);
      if (status === 413) return this.splitTooLarge(items, error, path);
      return { retry: items, needsBackoff: true, error: describeError(error) };
    } finally {
      this.hooks.onBulk?.(path, (performance.now() - started) / 1000, items.length);
    }

    const retry: WriteItem[] = [];
    let needsBackoff = false;
    let error: string | undefined;
    items.forEach((item, position) => {
      const result = Object.values(response.items?.[position] ?? {})[0];
      const status = result?.status ?? 0;
      if (status === 200 || status === 201)
        item.outcome = item.request.kind === 'log' ? 'created' : 'dead-lettered';
      else if (status === 409)
        item.outcome = item.request.kind === 'log' ? 'duplicate' : 'dead-lettered';
      else if (status === 400 || status === 413) {
        if (this.escalate(item, describeRejection(result?.error ?? { type: `http_${status}` })))
          retry.push(item);
      } else {
        retry.push(item);
        needsBackoff = true;
        error = `bulk item answered ${status}: ${describeRejection(result?.error).reason}`;
      }
    });
    return error === undefined ? { retry, needsBackoff } : { retry, needsBackoff, error };
  }

  /** A whole request over the size limit: halve it until single documents are left, reject those. */
  private async splitTooLarge(
    items: WriteItem[],
    error: unknown,
    path: WritePath,
  ): Promise<{ retry: WriteItem[]; needsBackoff: boolean }> {
    if (items.length === 1) {
      const [item] = items as [WriteItem];
      const rejection = { type: 'request_entity_too_large', reason: describeError(error) };
      return { retry: this.escalate(item, rejection) ? [item] : [], needsBackoff: false };
    }
    // The halves go out right away, one after the other; what they leave open (rejected or
    // retryable items) continues in the caller's rounds.
    const middle = Math.ceil(items.length / 2);
    const retry: WriteItem[] = [];
    let needsBackoff = false;
    for (const half of [items.slice(0, middle), items.slice(middle)]) {
      const round = await this.send(half, path);
      retry.push(...round.retry);
      needsBackoff ||= round.needsBackoff;
    }
    return { retry, needsBackoff };
  }

  /** Replaces the item's request with its dead-letter version; false when none is left. */
  private escalate(item: WriteItem, rejection: Rejection): boolean {
    this.hooks.onDeadLetter?.(rejection);
    const next = deadLetterFor(item.request, rejection, this.options.deadLetterIndex, Date.now());
    if (next === undefined) {
      // Even the coordinates-only document was refused: nothing more Elasticsearch will take.
      // The record stays in Kafka until retention; this line names it for an operator.
      this.logger.error(
        `document ${item.request.id} could not be indexed even as a dead letter: ${rejection.type}: ${rejection.reason}`,
      );
      item.outcome = 'unindexable';
      return false;
    }
    if (item.request.kind === 'log') {
      this.logger.warn(
        `document ${item.request.id} rejected (${rejection.type}), sent to the dead-letter index`,
      );
    }
    item.request = next;
    return true;
  }

  private count(items: WriteItem[], path: WritePath): void {
    if (!this.hooks.onOutcome) return;
    const counts = new Map<WriteOutcome, number>();
    for (const { outcome } of items)
      if (outcome) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    for (const [outcome, count] of counts) this.hooks.onOutcome(path, outcome, count);
  }
}

/** The HTTP status of a client error; undefined when no answer came (connection, timeout). */
function statusOf(error: unknown): number | undefined {
  const meta = (error as { meta?: { statusCode?: unknown } } | null)?.meta;
  return typeof meta?.statusCode === 'number' && meta.statusCode > 0 ? meta.statusCode : undefined;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = statusOf(error);
    return status === undefined
      ? `${error.name}: ${error.message}`
      : `HTTP ${status}: ${error.message}`;
  }
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import type { estypes } from '@elastic/elasticsearch';
import { normalizePersonalValue, personalValuesIn } from '../privacy/personal-data';
import type { LogFilters } from './queries/search-logs/search-logs.query';

/**
 * Which records a caller may see: an operator every one, a tenant only those carrying its id
 * (records of its topics, and platform records whose envelope or headers name it). Records with
 * no tenant therefore reach operators only.
 */
export type LogVisibility = { all: true } | { tenantId: string };

/** The keyed hashes (one per HMAC key in use) a document holding a personal value may carry. */
export type PersonalHashes = (normalized: string) => string[];

/** Fields the free-text `q` searches: the text copy, payload leaves, and the keyword fields. */
export const FULL_TEXT_FIELDS = [
  'message',
  'payload',
  'key',
  'topic',
  'eventType',
  'eventId',
  'correlationId',
  'causationId',
  'source',
  'tenantId',
  'parseErrorReason',
  'deadLetter.reason',
];

/** Matches a correlation id in our envelope field or in the `correlation-id` header. */
export function correlationClause(correlationId: string): estypes.QueryDslQueryContainer {
  return {
    bool: {
      should: [{ term: { correlationId } }, { term: { 'headers.correlation-id': correlationId } }],
      minimum_should_match: 1,
    },
  };
}

/** Part of the query itself, so totals and pages count only what the caller may see. */
function visibilityFilter(visibility: LogVisibility): estypes.QueryDslQueryContainer[] {
  return 'all' in visibility ? [] : [{ term: { tenantId: visibility.tenantId } }];
}

/**
 * The free-text search. Personal values are stored masked, so the e-mails and CPFs in `q` are
 * matched by their keyed hash instead of as words, and the whole of `q` may also be a personal
 * value of a catalog field (a name). The rest of `q` is a simple query string over the text.
 */
function textClause(q: string, hashes: PersonalHashes): estypes.QueryDslQueryContainer {
  const { values, rest } = personalValuesIn(q);
  const must: estypes.QueryDslQueryContainer[] = values.map((value) => ({
    terms: { piiHashes: hashes(value) },
  }));
  if (values.length === 0 || /[\p{L}\p{N}]/u.test(rest)) {
    must.push({
      // Never fails on user syntax (unlike query_string); lenient skips type mismatches.
      simple_query_string: {
        query: values.length === 0 ? q : rest,
        fields: FULL_TEXT_FIELDS,
        default_operator: 'and',
        lenient: true,
      },
    });
  }
  return {
    bool: {
      should: [
        must.length === 1 ? (must[0] as estypes.QueryDslQueryContainer) : { bool: { must } },
        { terms: { piiHashes: hashes(normalizePersonalValue(q)) } },
      ],
      minimum_should_match: 1,
    },
  };
}

export function searchLogsRequest(
  pattern: string,
  filters: LogFilters,
  page: number,
  pageSize: number,
  visibility: LogVisibility,
  hashes: PersonalHashes,
): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = visibilityFilter(visibility);
  if (filters.topic !== undefined) filter.push({ term: { topic: filters.topic } });
  if (filters.eventType !== undefined) filter.push({ term: { eventType: filters.eventType } });
  if (filters.tenantId !== undefined) filter.push({ term: { tenantId: filters.tenantId } });
  if (filters.correlationId !== undefined) filter.push(correlationClause(filters.correlationId));
  if (filters.from !== undefined || filters.to !== undefined) {
    const range: estypes.QueryDslDateRangeQuery = {};
    if (filters.from !== undefined) range.gte = filters.from;
    if (filters.to !== undefined) range.lte = filters.to;
    filter.push({ range: { '@timestamp': range } });
  }
  const must = filters.q === undefined ? [] : [textClause(filters.q, hashes)];
  return {
    index: pattern,
    ignore_unavailable: true,
    allow_no_indices: true,
    from: (page - 1) * pageSize,
    size: pageSize,
    track_total_hits: true,
    sort: [
      { '@timestamp': { order: 'desc', unmapped_type: 'date' } },
      { offset: { order: 'desc', unmapped_type: 'long' } },
    ],
    query: { bool: { filter, must } },
  };
}

/** At most this many records of one flow are returned, oldest first. */
export const TRACE_LIMIT = 1000;

export function traceFlowRequest(
  pattern: string,
  correlationId: string,
  visibility: LogVisibility,
): estypes.SearchRequest {
  return {
    index: pattern,
    ignore_unavailable: true,
    allow_no_indices: true,
    size: TRACE_LIMIT,
    track_total_hits: true,
    sort: [
      { '@timestamp': { order: 'asc', unmapped_type: 'date' } },
      { readAt: { order: 'asc', unmapped_type: 'date' } },
      { offset: { order: 'asc', unmapped_type: 'long' } },
    ],
    query: {
      bool: { filter: [correlationClause(correlationId), ...visibilityFilter(visibility)] },
    },
  };
}

import type { estypes } from '@elastic/elasticsearch';
import type { LogFilters } from './queries/search-logs/search-logs.query';

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

export function searchLogsRequest(
  pattern: string,
  filters: LogFilters,
  page: number,
  pageSize: number,
): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = [];
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
  const must: estypes.QueryDslQueryContainer[] =
    filters.q === undefined
      ? []
      : [
          {
            // Never fails on user syntax (unlike query_string); lenient skips type mismatches.
            simple_query_string: {
              query: filters.q,
              fields: FULL_TEXT_FIELDS,
              default_operator: 'and',
              lenient: true,
            },
          },
        ];
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

export function traceFlowRequest(pattern: string, correlationId: string): estypes.SearchRequest {
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
    query: correlationClause(correlationId),
  };
}

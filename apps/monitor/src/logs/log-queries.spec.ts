import { searchLogsRequest, traceFlowRequest } from './log-queries';

describe('log search queries', () => {
  it('combines the filters with AND, pages newest first', () => {
    const request = searchLogsRequest(
      'logs-*',
      {
        q: 'ana "new user"',
        topic: 'user_events',
        eventType: 'users.create_user',
        tenantId: 'acme',
        correlationId: 'c-1',
        from: '2025-01-01',
        to: '2025-01-31T23:59:59Z',
      },
      3,
      20,
    );
    expect(request).toMatchObject({ index: 'logs-*', from: 40, size: 20, track_total_hits: true });
    expect(request.sort).toEqual([
      { '@timestamp': { order: 'desc', unmapped_type: 'date' } },
      { offset: { order: 'desc', unmapped_type: 'long' } },
    ]);
    expect(request.query).toEqual({
      bool: {
        filter: [
          { term: { topic: 'user_events' } },
          { term: { eventType: 'users.create_user' } },
          { term: { tenantId: 'acme' } },
          {
            bool: {
              should: [
                { term: { correlationId: 'c-1' } },
                { term: { 'headers.correlation-id': 'c-1' } },
              ],
              minimum_should_match: 1,
            },
          },
          { range: { '@timestamp': { gte: '2025-01-01', lte: '2025-01-31T23:59:59Z' } } },
        ],
        must: [
          {
            simple_query_string: expect.objectContaining({
              query: 'ana "new user"',
              default_operator: 'and',
              lenient: true,
            }),
          },
        ],
      },
    });
  });

  it('matches everything without filters', () => {
    expect(searchLogsRequest('logs-*', {}, 1, 20).query).toEqual({
      bool: { filter: [], must: [] },
    });
  });

  it('traces a flow oldest first, by envelope field or header', () => {
    const request = traceFlowRequest('logs-*', 'c-1');
    expect((request.sort as unknown[])[0]).toEqual({
      '@timestamp': { order: 'asc', unmapped_type: 'date' },
    });
    expect(JSON.stringify(request.query)).toContain('headers.correlation-id');
  });
});

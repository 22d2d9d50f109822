import { searchLogsRequest, traceFlowRequest, type PersonalHashes } from './log-queries';

const hashes: PersonalHashes = (value) => [`h1(${value})`, `h2(${value})`];
const operator = { all: true } as const;

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
      operator,
      hashes,
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
            bool: {
              should: [
                {
                  simple_query_string: expect.objectContaining({
                    query: 'ana "new user"',
                    default_operator: 'and',
                    lenient: true,
                  }),
                },
                { terms: { piiHashes: ['h1(ana "new user")', 'h2(ana "new user")'] } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
      },
    });
  });

  it('matches everything without filters', () => {
    expect(searchLogsRequest('logs-*', {}, 1, 20, operator, hashes).query).toEqual({
      bool: { filter: [], must: [] },
    });
  });

  it('confines a tenant to records carrying its id, in the query itself (totals and pages agree)', () => {
    const request = searchLogsRequest(
      'logs-*',
      { topic: 'x' },
      1,
      20,
      { tenantId: 'acme' },
      hashes,
    );
    expect(request.query).toEqual({
      bool: { filter: [{ term: { tenantId: 'acme' } }, { term: { topic: 'x' } }], must: [] },
    });
    const trace = traceFlowRequest('logs-*', 'c-1', { tenantId: 'acme' });
    expect(JSON.stringify(trace.query)).toContain('{"term":{"tenantId":"acme"}}');
  });

  it('matches e-mails and CPFs in q by their keyed hashes, and the rest as text', () => {
    const request = searchLogsRequest(
      'logs-*',
      { q: 'Ana@Example.com paid 529.982.247-25' },
      1,
      20,
      operator,
      hashes,
    );
    const [text] = (request.query?.bool?.must ?? []) as { bool: { should: unknown[] } }[];
    expect(text?.bool.should[0]).toEqual({
      bool: {
        must: [
          { terms: { piiHashes: ['h1(ana@example.com)', 'h2(ana@example.com)'] } },
          { terms: { piiHashes: ['h1(52998224725)', 'h2(52998224725)'] } },
          { simple_query_string: expect.objectContaining({ query: 'paid' }) },
        ],
      },
    });
    const onlyEmail = searchLogsRequest(
      'logs-*',
      { q: 'ana@example.com' },
      1,
      20,
      operator,
      hashes,
    );
    expect(JSON.stringify(onlyEmail.query)).not.toContain('simple_query_string');
  });

  it('traces a flow oldest first, by envelope field or header', () => {
    const request = traceFlowRequest('logs-*', 'c-1', operator);
    expect((request.sort as unknown[])[0]).toEqual({
      '@timestamp': { order: 'asc', unmapped_type: 'date' },
    });
    expect(JSON.stringify(request.query)).toContain('headers.correlation-id');
  });
});

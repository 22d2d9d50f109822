import { Client } from '@elastic/elasticsearch';
import { uniqueName } from '@event-hub/testing';

/** The dev Elasticsearch is a real node: the official client works against it unmodified. */
describe('the dev Elasticsearch node', () => {
  const client = new Client({ node: process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200' });
  const index = uniqueName('it-dev-services').toLowerCase();

  afterAll(async () => {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
  });

  it('creates an index, bulk-indexes documents and searches them back', async () => {
    await client.indices.create({
      index,
      settings: { number_of_replicas: 0 },
      mappings: { properties: { topic: { type: 'keyword' }, message: { type: 'text' } } },
    });

    const operations = ['user_events', 'response_events', 'user_events'].flatMap((topic, i) => [
      { create: { _index: index, _id: `doc-${i}` } },
      { topic, message: `record number ${i} about payments` },
    ]);
    const bulk = await client.bulk({ operations, refresh: 'wait_for' });
    expect(bulk.errors).toBe(false);

    const result = await client.search<{ topic: string }>({
      index,
      query: {
        bool: {
          must: { match: { message: 'payments' } },
          filter: { term: { topic: 'user_events' } },
        },
      },
      sort: [{ _doc: { order: 'asc' } }],
    });
    expect(result.hits.hits.map((h) => h._id)).toEqual(['doc-0', 'doc-2']);
  });

  it('treats a re-sent create of an existing id as a conflict, not an overwrite', async () => {
    const bulk = await client.bulk({
      operations: [{ create: { _index: index, _id: 'doc-0' } }, { topic: 'other', message: 'dup' }],
      refresh: 'wait_for',
    });
    expect(bulk.items[0]?.create?.status).toBe(409);
    const original = await client.get<{ topic: string }>({ index, id: 'doc-0' });
    expect(original._source?.topic).toBe('user_events');
  });
});

import { documentId, LOG_TEMPLATE_VERSION, LogIndices, logIndexTemplate } from './log-indices';

describe('log indices', () => {
  const indices = new LogIndices('event-hub-logs');

  it('names daily indices from the record time in UTC', () => {
    expect(indices.daily(Date.UTC(2025, 0, 31, 23, 59, 59))).toBe('event-hub-logs-2025.01.31');
    expect(indices.daily(Date.UTC(2025, 1, 1, 0, 0, 0))).toBe('event-hub-logs-2025.02.01');
    expect(indices.pattern).toBe('event-hub-logs-*');
    expect(indices.deadLetter).toBe('event-hub-logs-deadletter');
  });

  it('derives the document id from topic, partition and offset', () => {
    expect(documentId('user_events', 3, '120')).toBe('user_events-3-120');
  });

  it('covers daily and dead-letter indices with one mapping that producers cannot extend', () => {
    const template = logIndexTemplate(indices, 0);
    expect(template.index_patterns).toEqual(['event-hub-logs-*']);
    const mappings = template.template?.mappings;
    expect(mappings?.dynamic).toBe(false);
    expect(mappings?.properties?.['payload']).toMatchObject({ type: 'flattened' });
    expect(mappings?.properties?.['headers']).toMatchObject({ type: 'flattened' });
    expect(mappings?.properties?.['message']).toEqual({ type: 'text' });
    expect(mappings?.properties?.['piiHashes']).toEqual({ type: 'keyword' });
    expect(template.version).toBe(LOG_TEMPLATE_VERSION);
    expect(LOG_TEMPLATE_VERSION).toBeGreaterThanOrEqual(2);
    for (const field of [
      'eventId',
      'eventType',
      'source',
      'tenantId',
      'correlationId',
      'causationId',
      'version',
    ]) {
      expect(mappings?.properties?.[field]).toMatchObject({ type: 'keyword' });
    }
  });
});

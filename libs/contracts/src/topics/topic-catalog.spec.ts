import { TOPIC_CATALOG, TOPICS, tenantTopicName, topicConfigEntries } from './topic-catalog';

describe('topic catalog', () => {
  it('declares every platform topic exactly once', () => {
    const names = TOPIC_CATALOG.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.values(TOPICS).sort());
  });

  it('keeps balances in a compacted topic that never expires', () => {
    const balances = TOPIC_CATALOG.find((t) => t.name === TOPICS.accountBalances);
    expect(balances && topicConfigEntries(balances)).toMatchObject({
      'cleanup.policy': 'compact',
      'retention.ms': '-1',
    });
  });

  it('names tenant topics inside the tenant namespace', () => {
    expect(tenantTopicName('acme', 'orders')).toBe('tenant.acme.orders');
  });
});

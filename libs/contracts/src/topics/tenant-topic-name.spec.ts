import {
  TENANT_TOPIC_NAME_MAX_LENGTH,
  isTenantTopicName,
  parsePhysicalTenantTopic,
  physicalTenantTopic,
  tenantTopicNameProblem,
} from './tenant-topic-name';

describe('tenant topic names', () => {
  it.each(['orders', 'orders.created', 'a1', 'eu-west.orders-v2', '0'])('accepts %s', (name) => {
    expect(tenantTopicNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['Orders', 'uppercase'],
    ['orders_created', 'underscore (collides with dots in Kafka metric names)'],
    ['.orders', 'leading dot'],
    ['orders.', 'trailing dot'],
    ['orders..created', 'empty segment'],
    ['-orders', 'leading hyphen'],
    ['orders-', 'trailing hyphen'],
    ['__consumer_offsets', 'internal topic'],
    ['../user_events', 'path tricks'],
    ['orders created', 'space'],
    ['órders', 'non-ASCII'],
  ])('rejects %p (%s)', (name) => {
    expect(isTenantTopicName(name)).toBe(false);
  });

  it('bounds the length so the physical name fits Kafka with the longest tenant id', () => {
    const tenantId = `t${'x'.repeat(62)}`;
    const longest = 'a'.repeat(TENANT_TOPIC_NAME_MAX_LENGTH);
    expect(physicalTenantTopic(tenantId, longest)?.length).toBe(249);
    expect(tenantTopicNameProblem(`${longest}a`)).toMatch(/at most/);
  });

  it('maps a name into the tenant namespace and back', () => {
    expect(physicalTenantTopic('acme', 'orders.created')).toBe('tenant.acme.orders.created');
    expect(parsePhysicalTenantTopic('tenant.acme.orders.created')).toEqual({
      tenantId: 'acme',
      name: 'orders.created',
    });
  });

  it('keeps two tenants with the same name apart', () => {
    expect(physicalTenantTopic('acme', 'orders')).not.toBe(physicalTenantTopic('globex', 'orders'));
  });

  it('never yields a topic for an invalid tenant id or name', () => {
    expect(physicalTenantTopic('acme.evil', 'orders')).toBeUndefined();
    expect(physicalTenantTopic('acme', 'x_y')).toBeUndefined();
    expect(parsePhysicalTenantTopic('user_events')).toBeUndefined();
    expect(parsePhysicalTenantTopic('tenant.acme')).toBeUndefined();
  });
});

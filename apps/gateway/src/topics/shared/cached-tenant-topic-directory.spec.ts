import type { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { CachedTenantTopicDirectory } from './cached-tenant-topic-directory';
import type { TenantTopicEntity } from './tenant-topic.entity';
import type { TenantTopicStore } from './tenant-topic-store';

/** A table of ready topics that counts how often it is asked. */
function directoryOver(rows: Partial<TenantTopicEntity>[]) {
  const lookups: string[] = [];
  const store = {
    findReady: async (tenantId: string, name: string) => {
      lookups.push(`${tenantId}/${name}`);
      return (rows.find((r) => r.tenantId === tenantId && r.name === name) ??
        null) as TenantTopicEntity | null;
    },
  };
  const config = { get: () => 60000 } as unknown as ConfigService<GatewayEnvironment, true>;
  return {
    directory: new CachedTenantTopicDirectory(store as unknown as TenantTopicStore, config),
    lookups,
    rows,
  };
}

const ORDERS: Partial<TenantTopicEntity> = {
  tenantId: 'acme',
  name: 'orders',
  physicalName: 'tenant.acme.orders',
  partitions: 3,
  cleanupPolicy: 'delete',
  valueSubject: null,
};

describe('CachedTenantTopicDirectory', () => {
  it('finds a tenant’s topic and reuses it without asking Postgres again', async () => {
    const { directory, lookups } = directoryOver([ORDERS]);
    const first = await directory.find('acme', 'orders');
    const second = await directory.find('acme', 'orders');

    expect(first).toEqual({
      tenantId: 'acme',
      name: 'orders',
      physicalName: 'tenant.acme.orders',
      partitions: 3,
      cleanupPolicy: 'delete',
      valueSubject: null,
    });
    expect(second).toEqual(first);
    expect(lookups).toEqual(['acme/orders']);
  });

  it('never finds another tenant’s topic', async () => {
    const { directory } = directoryOver([ORDERS]);
    expect(await directory.find('globex', 'orders')).toBeUndefined();
  });

  it('answers a malformed name as missing without asking Postgres', async () => {
    const { directory, lookups } = directoryOver([ORDERS]);
    expect(await directory.find('acme', '__consumer_offsets')).toBeUndefined();
    expect(lookups).toEqual([]);
  });

  it('does not remember a missing topic, so one created elsewhere is found at once', async () => {
    const { directory, rows } = directoryOver([]);
    expect(await directory.find('acme', 'orders')).toBeUndefined();
    rows.push(ORDERS);
    expect(await directory.find('acme', 'orders')).toBeDefined();
  });

  it('forgets a topic this instance changed', async () => {
    const { directory, rows } = directoryOver([ORDERS]);
    await directory.find('acme', 'orders');
    rows[0] = { ...ORDERS, valueSubject: 'orders-value' };
    directory.forget('acme', 'orders');
    expect((await directory.find('acme', 'orders'))?.valueSubject).toBe('orders-value');
  });
});

import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { isTenantTopicName } from '@event-hub/contracts';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { TenantTopicDirectory, type TenantTopic } from '../tenant-topic-directory';
import { TenantTopicStore } from './tenant-topic-store';

interface Cached {
  topic: TenantTopic | undefined;
  expiresAt: number;
}

/**
 * Ready topics from `tenant_topics`, kept for a few seconds: every produce and consume request
 * looks its topic up. This instance forgets an entry the moment it changes the topic; other
 * instances see a change or deletion within the TTL.
 */
@Injectable()
export class CachedTenantTopicDirectory extends TenantTopicDirectory {
  private readonly cache = new Map<string, Cached>();
  private readonly ttlMs: number;

  constructor(
    private readonly store: TenantTopicStore,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    super();
    this.ttlMs = config.get('GATEWAY_TOPIC_CACHE_TTL_MS');
  }

  async find(tenantId: string, name: string): Promise<TenantTopic | undefined> {
    if (!isTenantTopicName(name)) return undefined;
    const key = cacheKey(tenantId, name);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.topic;
    const row = await this.store.findReady(tenantId, name);
    const topic: TenantTopic | undefined = row
      ? {
          tenantId: row.tenantId,
          name: row.name,
          physicalName: row.physicalName,
          partitions: row.partitions,
          cleanupPolicy: row.cleanupPolicy,
          valueSubject: row.valueSubject,
        }
      : undefined;
    // Only found topics are kept: a topic just created through another instance must not be
    // answered 404 here for a whole TTL.
    if (topic && this.ttlMs > 0) {
      if (this.cache.size > 10000) this.cache.clear();
      this.cache.set(key, { topic, expiresAt: Date.now() + this.ttlMs });
    }
    return topic;
  }

  forget(tenantId: string, name: string): void {
    this.cache.delete(cacheKey(tenantId, name));
  }
}

const cacheKey = (tenantId: string, name: string): string => `${tenantId}\u0000${name}`;

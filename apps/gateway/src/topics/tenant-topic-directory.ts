import type { CleanupPolicy } from '@event-hub/contracts';

/** A topic in a tenant's namespace, as the produce and consume features need it. */
export interface TenantTopic {
  tenantId: string;
  /** The name the tenant uses. */
  name: string;
  /** The Kafka topic: `tenant.<tenantId>.<name>`. */
  physicalName: string;
  partitions: number;
  /** A compacted topic takes only keyed records. */
  cleanupPolicy: CleanupPolicy;
  /** Schema subject the values must conform to, if one is bound. */
  valueSubject: string | null;
}

/**
 * Looks up a tenant's topics. `undefined` for a topic that does not exist *for this tenant*:
 * callers answer 404 exactly as for a topic that does not exist at all.
 */
export abstract class TenantTopicDirectory {
  abstract find(tenantId: string, name: string): Promise<TenantTopic | undefined>;
}

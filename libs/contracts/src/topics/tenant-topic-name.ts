import { TENANT_TOPIC_PREFIX } from './topic-catalog';

/**
 * Names of tenant topics. The physical Kafka topic is `tenant.<tenantId>.<name>`; tenant ids never
 * contain a dot, so the first dot after the prefix always ends the tenant id and the mapping is
 * one-to-one: no name a tenant sends can spell another tenant's topic or a platform topic.
 */

/** Tenant ids as the auth library issues them (kept here too: contracts depends on nothing of ours). */
const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

const TENANT_ID_MAX_LENGTH = 63;
/** Kafka's own bound on topic names. */
const KAFKA_TOPIC_MAX_LENGTH = 249;

/** So the physical name stays within Kafka's limit for the longest tenant id. */
export const TENANT_TOPIC_NAME_MAX_LENGTH =
  KAFKA_TOPIC_MAX_LENGTH - TENANT_TOPIC_PREFIX.length - TENANT_ID_MAX_LENGTH - 1;

/**
 * Dot-separated segments of lowercase letters, digits and inner hyphens. No underscore: Kafka
 * treats `.` and `_` alike in metric names and refuses a topic that collides with another that way
 * (`a_b` vs `a.b`), which would make one name's existence depend on another's.
 */
const SEGMENT = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
export const TENANT_TOPIC_NAME_PATTERN = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})*$`);

/** Why `name` cannot be a tenant topic name, or undefined when it can. */
export function tenantTopicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > TENANT_TOPIC_NAME_MAX_LENGTH) {
    return `must be at most ${TENANT_TOPIC_NAME_MAX_LENGTH} characters`;
  }
  if (!TENANT_TOPIC_NAME_PATTERN.test(name)) {
    return 'must be dot-separated segments of lowercase letters, digits and inner hyphens';
  }
  return undefined;
}

export function isTenantTopicName(name: string): boolean {
  return tenantTopicNameProblem(name) === undefined;
}

/**
 * The Kafka topic of a tenant's topic, or undefined when the tenant id or the name is not valid:
 * callers treat that exactly like a topic that does not exist.
 */
export function physicalTenantTopic(tenantId: string, name: string): string | undefined {
  if (!TENANT_ID_PATTERN.test(tenantId) || !isTenantTopicName(name)) return undefined;
  return `${TENANT_TOPIC_PREFIX}${tenantId}.${name}`;
}

/** The owner and name of a physical tenant topic, or undefined for any other topic. */
export function parsePhysicalTenantTopic(
  physical: string,
): { tenantId: string; name: string } | undefined {
  if (!physical.startsWith(TENANT_TOPIC_PREFIX)) return undefined;
  const rest = physical.slice(TENANT_TOPIC_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot < 0) return undefined;
  const tenantId = rest.slice(0, dot);
  const name = rest.slice(dot + 1);
  return physicalTenantTopic(tenantId, name) === undefined ? undefined : { tenantId, name };
}

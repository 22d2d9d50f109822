import type { Kafka } from 'kafkajs';

/*
 * Why this module exists: kafkajs (2.2.x; upstream issues tulios/kafkajs#1622 and #651, fixes
 * never merged) remembers every topic a client ever produced to, subscribed to or looked up, in
 * its Cluster's `targetTopics`, and refreshes the metadata of all of them in one request. Once one
 * of those topics is deleted the broker answers it with UNKNOWN_TOPIC_OR_PARTITION, kafkajs fails
 * the whole refresh, and from then on every send, fetch, join or offset lookup of that client
 * fails, on every topic, until the process restarts: one tenant deleting its topic took produce
 * down for all tenants.
 *
 * The guard wraps the metadata refresh of every cluster a guarded client creates (each producer,
 * consumer and admin has its own). When a refresh fails with UNKNOWN_TOPIC_OR_PARTITION it asks
 * the broker, topic by topic, which of the requested topics it described before are gone now,
 * drops those from the cluster's targets and refreshes again for the rest. A caller that asked for the deleted topic
 * itself still fails (there is no metadata for it); everybody else carries on. `forgetTopics`
 * drops topics the service deleted itself before any refresh trips over them.
 *
 * It reaches into kafkajs internals (checked against 2.2.4: src/index.js `createCluster`,
 * src/cluster/index.js `targetTopics` and `brokerPool`, src/cluster/brokerPool.js
 * `refreshMetadata` and `findConnectedBroker`). If they change, installing the guard throws at
 * start rather than leaving the clients unprotected.
 */

/** The part of a kafkajs Broker the guard uses. */
interface BrokerInternals {
  metadata(topics: string[]): Promise<unknown>;
}

/** The part of a kafkajs BrokerPool the guard uses and wraps. */
interface BrokerPoolInternals {
  metadata?: { topicMetadata?: { topic: string }[] } | null;
  refreshMetadata(topics: string[]): Promise<unknown>;
  findConnectedBroker(): Promise<BrokerInternals>;
}

/** The part of a kafkajs Cluster the guard uses. `targetTopics` is reassigned by kafkajs: always read it anew. */
interface ClusterInternals {
  targetTopics: Set<string>;
  brokerPool: BrokerPoolInternals;
}

type CreateCluster = (options: unknown) => ClusterInternals;

const CREATE_CLUSTER = 'private:Kafka:createCluster';

/** The clusters each guarded client created, weakly held: short-lived consumers come and go. */
const clustersOf = new WeakMap<Kafka, Set<WeakRef<ClusterInternals>>>();

/** Protects every producer, consumer and admin `kafka` creates from then on. Idempotent. */
export function guardAgainstDeletedTopics(kafka: Kafka): Kafka {
  if (clustersOf.has(kafka)) return kafka;
  const slots = kafka as unknown as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const create = key === undefined ? undefined : slots[key];
  if (key === undefined || typeof create !== 'function') {
    throw new Error(
      `kafkajs internals changed (no ${CREATE_CLUSTER}): the deleted-topic guard of libs/kafka cannot be installed`,
    );
  }
  const clusters = new Set<WeakRef<ClusterInternals>>();
  clustersOf.set(kafka, clusters);
  slots[key] = (options: unknown): ClusterInternals => {
    const cluster = (create as CreateCluster).call(kafka, options);
    guardCluster(cluster);
    for (const ref of clusters) if (ref.deref() === undefined) clusters.delete(ref);
    clusters.add(new WeakRef(cluster));
    return cluster;
  };
  return kafka;
}

/**
 * Drops deleted topics from the metadata targets of every client `kafka` created, so no later
 * refresh asks for them. For a service that deleted the topics itself; others find out on their
 * next refresh.
 */
export function forgetTopics(kafka: Kafka, topics: readonly string[]): void {
  for (const ref of clustersOf.get(kafka) ?? []) {
    const cluster = ref.deref();
    if (cluster) for (const topic of topics) cluster.targetTopics.delete(topic);
  }
}

/** Whether `error` (or one it wraps, as kafkajs's retries do) is UNKNOWN_TOPIC_OR_PARTITION. */
export function isUnknownTopicError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { type, errors } = current as { type?: unknown; errors?: unknown };
    if (type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
    if (Array.isArray(errors) && errors.some(isUnknownTopicError)) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { error?: unknown }).error;
  }
  return false;
}

function guardCluster(cluster: ClusterInternals): void {
  const pool = cluster.brokerPool;
  if (typeof pool?.refreshMetadata !== 'function' || !(cluster.targetTopics instanceof Set)) {
    throw new Error(
      'kafkajs internals changed (Cluster.targetTopics / brokerPool.refreshMetadata): the deleted-topic guard of libs/kafka cannot be installed',
    );
  }
  const refresh = pool.refreshMetadata.bind(pool);
  // Topics the broker described to this cluster once. Only those can have been deleted; a topic
  // never seen (mistyped, or created a moment ago) keeps kafkajs's own answer, an error.
  const known = new Set<string>();
  const refreshAndRemember = async (topics: string[]): Promise<unknown> => {
    const result = await refresh(topics);
    for (const { topic } of pool.metadata?.topicMetadata ?? []) known.add(topic);
    return result;
  };
  pool.refreshMetadata = async (topics: string[]): Promise<unknown> => {
    try {
      return await refreshAndRemember(topics);
    } catch (error) {
      if (!isUnknownTopicError(error)) throw error;
      const deleted = await missingTopics(
        pool,
        topics.filter((topic) => known.has(topic)),
      );
      if (deleted.size === 0) throw error;
      for (const topic of deleted) cluster.targetTopics.delete(topic);
      return refreshAndRemember(topics.filter((topic) => !deleted.has(topic)));
    }
  };
}

/** The broker's metadata error does not name the topic: ask for each one on its own. */
async function missingTopics(pool: BrokerPoolInternals, topics: string[]): Promise<Set<string>> {
  if (topics.length === 0) return new Set();
  const broker = await pool.findConnectedBroker();
  const answers = await Promise.all(
    topics.map(async (topic) => {
      try {
        await broker.metadata([topic]);
        return undefined;
      } catch (error) {
        return isUnknownTopicError(error) ? topic : undefined;
      }
    }),
  );
  return new Set(answers.filter((topic): topic is string => topic !== undefined));
}

import type { ConsumerConfig } from 'kafkajs';

/** Why a group member is not consuming, as the transport sees it. */
export type GroupMemberEvent =
  | { type: 'joined'; assignment: Record<string, number[]>; durationMs: number }
  | { type: 'crashed'; reason: string; kafkajsRestarts: boolean }
  /** One OffsetCommit request of the partitions that finished together. */
  | { type: 'committed'; seconds: number; partitions: number }
  /**
   * A fetch that held only transaction markers or aborted records: it never reaches the handler,
   * but a deferred-commit subscription may step its commit point over it, to `lastOffset`.
   */
  | { type: 'passed-over'; topic: string; partition: number; lastOffset: string }
  | { type: 'stopping' }
  | { type: 'stopped' };

/**
 * `on-success` (default): the server commits what the handler resolved once its promise succeeded.
 * `deferred`: the handler's success only means "accepted" (the records are re-fetched from what it
 * resolved, not committed); the feature commits later through {@link KafkaBatchSubscriptionControl},
 * once what it accepted is durably stored.
 */
export type KafkaBatchCommitMode = 'on-success' | 'deferred';

/** One consumer group the server runs, feeding the handler of `pattern`. */
export interface KafkaBatchSubscription {
  /** The `@EventPattern(pattern, KAFKA_BATCH)` this group's batches go to. */
  pattern: string;
  /** Kept exactly as configured: committed offsets carry over from earlier deployments. */
  groupId: string;
  topics: string[];
  /** Partitions handled at once (kafkajs `partitionsConsumedConcurrently`, default 1). */
  partitionsConsumedConcurrently?: number;
  /** A topic without a committed offset is read from its beginning (default true). */
  fromBeginning?: boolean;
  /** kafkajs consumer settings (session timeout, fetch sizes, retry, readUncommitted…). */
  consumer?: Omit<ConsumerConfig, 'groupId'>;
  /**
   * The least time from a batch's hand-over to the group's next fetch (default 0): a batch returns
   * no earlier, once handled and committed. With `minBytes` 1 and a long `maxWaitTimeInMs` an idle
   * group's fetch waits at the broker (a few fetches a second instead of one per short wait), the
   * first record after a pause is answered at once, and under load a fetch brings what arrived
   * during the interval, together.
   */
  minFetchIntervalMs?: number;
  /**
   * Start without waiting for the group join (default false): a join waits for every member the
   * group still counts, which a killed instance stays until its session expires.
   */
  joinInBackground?: boolean;
  /** Who commits: the server after each handled batch (default) or the feature, later. */
  commits?: KafkaBatchCommitMode;
  /**
   * On-success commits wait for the other batches in flight (default false: a batch commits as
   * soon as it is handled): with `partitionsConsumedConcurrently` above 1, the partitions handled
   * at once commit in one request instead of one each. A batch's commit, and so its handler's end,
   * then waits for the slowest batch beside it; its records are never committed before handled.
   */
  commitPerFetch?: boolean;
  /**
   * Runs whenever the consumer leaves the group (stop, topic change), after its topics were paused
   * and the batches in flight returned, before it disconnects: the last moment a deferred-commit
   * feature can store what it accepted and commit it.
   */
  beforeLeave?: () => Promise<void>;
  /** Lifecycle of the group member, for status and health. */
  onEvent?: (event: GroupMemberEvent) => void;
}

/** What a feature may do to its subscription while the server runs. */
export interface KafkaBatchSubscriptionControl {
  /**
   * Commits the given next-to-read offsets through the current consumer (deferred mode). Commits
   * run one at a time, in call order; a rejected commit (rebalance in progress, no consumer)
   * leaves the offsets for the next call.
   */
  commit(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  /**
   * Re-subscribes with another topic list (kafkajs resolves topics once, at subscribe): the
   * consumer leaves the group (`beforeLeave` included) and a new one joins with `topics`; pauses
   * carry over. An empty list leaves the group until topics are given again.
   */
  changeTopics(topics: readonly string[]): Promise<void>;
  /** The topics the subscription reads now. */
  readonly topics: readonly string[];
}

import type { ConsumerConfig } from 'kafkajs';

/** Why a group member is not consuming, as the transport sees it. */
export type GroupMemberEvent =
  | { type: 'joined'; assignment: Record<string, number[]>; durationMs: number }
  | { type: 'crashed'; reason: string; kafkajsRestarts: boolean }
  /** One OffsetCommit request of the partitions that finished together. */
  | { type: 'committed'; seconds: number; partitions: number }
  | { type: 'stopping' }
  | { type: 'stopped' };

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
   * Start without waiting for the group join (default false): a join waits for every member the
   * group still counts, which a killed instance stays until its session expires.
   */
  joinInBackground?: boolean;
  /** Lifecycle of the group member, for status and health. */
  onEvent?: (event: GroupMemberEvent) => void;
}

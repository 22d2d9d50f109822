import type { ConfigService } from '@nestjs/config';
import type { ProcessorEnvironment } from './processor.environment';

export const PROCESSOR_SETTINGS = Symbol('PROCESSOR_SETTINGS');

/** The command consumer's settings, read once from the validated environment. */
export interface ProcessorSettings {
  groupId: string;
  commandTopic: string;
  replyTopic: string;
  dlqTopic: string;
  partitionsConcurrency: number;
  maxBatchSize: number;
  fetchMaxWaitMs: number;
  fetchMinBytes: number;
  fetchMinIntervalMs: number;
  maxAttempts: number;
  retryBackoffMs: number;
  dbProbeIntervalMs: number;
  lagIntervalMs: number;
  sessionTimeoutMs: number;
}

export function processorSettings(
  config: ConfigService<ProcessorEnvironment, true>,
): ProcessorSettings {
  return {
    groupId: config.get('PROCESSOR_GROUP_ID'),
    commandTopic: config.get('PROCESSOR_COMMAND_TOPIC'),
    replyTopic: config.get('PROCESSOR_REPLY_TOPIC'),
    dlqTopic: config.get('PROCESSOR_DLQ_TOPIC'),
    partitionsConcurrency: config.get('PROCESSOR_PARTITIONS_CONCURRENCY'),
    maxBatchSize: config.get('PROCESSOR_MAX_BATCH_SIZE'),
    fetchMaxWaitMs: config.get('PROCESSOR_FETCH_MAX_WAIT_MS'),
    fetchMinBytes: config.get('PROCESSOR_FETCH_MIN_BYTES'),
    fetchMinIntervalMs: config.get('PROCESSOR_FETCH_MIN_INTERVAL_MS'),
    maxAttempts: config.get('PROCESSOR_MAX_ATTEMPTS'),
    retryBackoffMs: config.get('PROCESSOR_RETRY_BACKOFF_MS'),
    dbProbeIntervalMs: config.get('PROCESSOR_DB_PROBE_INTERVAL_MS'),
    lagIntervalMs: config.get('PROCESSOR_LAG_INTERVAL_MS'),
    sessionTimeoutMs: config.get('PROCESSOR_SESSION_TIMEOUT_MS'),
  };
}

import type { ConfigService } from '@nestjs/config';
import type { ProcessorEnvironment } from '../config/processor.environment';

export const USAGE_SETTINGS = Symbol('USAGE_SETTINGS');

/** The usage aggregator's settings, read once from the validated environment. */
export interface UsageSettings {
  topic: string;
  dlqTopic: string;
  groupId: string;
  maxBatchSize: number;
  partitionsConcurrency: number;
  dbProbeIntervalMs: number;
  sessionTimeoutMs: number;
}

export function usageSettings(config: ConfigService<ProcessorEnvironment, true>): UsageSettings {
  return {
    topic: config.get('PROCESSOR_USAGE_TOPIC'),
    dlqTopic: config.get('PROCESSOR_USAGE_DLQ_TOPIC'),
    groupId: config.get('PROCESSOR_USAGE_GROUP_ID') || `${config.get('PROCESSOR_GROUP_ID')}-usage`,
    maxBatchSize: config.get('PROCESSOR_USAGE_MAX_BATCH_SIZE'),
    partitionsConcurrency: config.get('PROCESSOR_USAGE_PARTITIONS_CONCURRENCY'),
    dbProbeIntervalMs: config.get('PROCESSOR_DB_PROBE_INTERVAL_MS'),
    sessionTimeoutMs: config.get('PROCESSOR_SESSION_TIMEOUT_MS'),
  };
}

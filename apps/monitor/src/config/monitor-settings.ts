import type { ConfigService } from '@nestjs/config';
import type { MonitorEnvironment } from './monitor.environment';

/** The monitor's tuning, read once from the validated environment and handed to plain classes. */
export interface MonitorSettings {
  groupId: string;
  sessionTimeoutMs: number;
  topicPattern: RegExp | undefined;
  discoveryIntervalMs: number;
  lagProbeIntervalMs: number;
  fetch: { maxWaitMs: number; minBytes: number };
  maxUnindexedAgeMs: number;
  indexPrefix: string;
  indexReplicas: number;
  bulk: {
    maxDocs: number;
    maxBytes: number;
    lingerMs: number;
    concurrency: number;
    timeoutMs: number;
  };
  retryBudgetMs: number;
  commitIntervalMs: number;
  fallback: {
    dir: string;
    fileBytes: number;
    maxBytes: number;
  };
  probeIntervalMs: number;
  healthTimeoutMs: number;
  shutdownFlushMs: number;
  /** HMAC keys of personal data: the current one, then previous ones still searched. */
  piiKeys: { current: string; previous: string[] };
}

export const MONITOR_SETTINGS = Symbol('MONITOR_SETTINGS');

export function monitorSettingsFrom(
  config: ConfigService<MonitorEnvironment, true>,
): MonitorSettings {
  const pattern = config.get('MONITOR_TOPIC_PATTERN', { infer: true });
  return {
    groupId: config.get('MONITOR_GROUP_ID'),
    sessionTimeoutMs: config.get('MONITOR_SESSION_TIMEOUT_MS'),
    topicPattern: pattern ? new RegExp(pattern) : undefined,
    discoveryIntervalMs: config.get('MONITOR_TOPIC_DISCOVERY_INTERVAL_MS'),
    lagProbeIntervalMs: config.get('MONITOR_LAG_PROBE_INTERVAL_MS'),
    fetch: {
      maxWaitMs: config.get('MONITOR_FETCH_MAX_WAIT_MS'),
      minBytes: config.get('MONITOR_FETCH_MIN_BYTES'),
    },
    maxUnindexedAgeMs: config.get('MONITOR_MAX_UNINDEXED_AGE_MS'),
    indexPrefix: config.get('MONITOR_INDEX_PREFIX'),
    indexReplicas: config.get('MONITOR_INDEX_REPLICAS'),
    bulk: {
      maxDocs: config.get('MONITOR_BULK_MAX_DOCS'),
      maxBytes: config.get('MONITOR_BULK_MAX_BYTES'),
      lingerMs: config.get('MONITOR_BULK_LINGER_MS'),
      concurrency: config.get('MONITOR_BULK_CONCURRENCY'),
      timeoutMs: config.get('MONITOR_BULK_TIMEOUT_MS'),
    },
    retryBudgetMs: config.get('MONITOR_RETRY_BUDGET_MS'),
    commitIntervalMs: config.get('MONITOR_COMMIT_INTERVAL_MS'),
    fallback: {
      dir: config.get('MONITOR_FALLBACK_DIR'),
      fileBytes: config.get('MONITOR_FALLBACK_FILE_BYTES'),
      maxBytes: config.get('MONITOR_FALLBACK_MAX_BYTES'),
    },
    probeIntervalMs: config.get('MONITOR_ES_PROBE_INTERVAL_MS'),
    healthTimeoutMs: config.get('HEALTH_TIMEOUT_MS'),
    shutdownFlushMs: config.get('MONITOR_SHUTDOWN_FLUSH_MS'),
    piiKeys: {
      current: config.get('MONITOR_PII_HMAC_KEY'),
      previous: (config.get('MONITOR_PII_HMAC_PREVIOUS_KEYS', { infer: true }) ?? '')
        .split(',')
        .filter((key) => key.length > 0),
    },
  };
}

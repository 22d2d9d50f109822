import type { ConfigService } from '@nestjs/config';
import type { ProcessorEnvironment } from '../../config/processor.environment';

export const PIX_RELAY_SETTINGS = Symbol('PIX_RELAY_SETTINGS');

/** How the PIX outbox relays run, read once from the validated environment. */
export interface PixRelaySettings {
  batchSize: number;
  idleMs: number;
  maxIdleMs: number;
  /** Put before every PIX topic name; empty in production, unique per run in tests. */
  topicPrefix: string;
  /** First retry delay of a notification RabbitMQ did not take; doubles per attempt up to the max. */
  notifyBackoffMs: number;
  notifyMaxBackoffMs: number;
  rabbitUrl: string;
  /** How often the pending-rows gauge is measured. */
  backlogIntervalMs: number;
}

export function pixRelaySettings(
  config: ConfigService<ProcessorEnvironment, true>,
): PixRelaySettings {
  return {
    batchSize: config.get('PIX_OUTBOX_BATCH_SIZE'),
    idleMs: config.get('PIX_OUTBOX_IDLE_MS'),
    maxIdleMs: config.get('PIX_OUTBOX_MAX_IDLE_MS'),
    topicPrefix: config.get('PIX_TOPIC_PREFIX'),
    notifyBackoffMs: config.get('PIX_NOTIFY_BACKOFF_MS'),
    notifyMaxBackoffMs: config.get('PIX_NOTIFY_MAX_BACKOFF_MS'),
    rabbitUrl: config.get('RABBITMQ_URL'),
    backlogIntervalMs: 1000,
  };
}

import { Kafka, logLevel } from 'kafkajs';
import { guardAgainstDeletedTopics } from './deleted-topics';
import { kafkaLogCreator } from './kafka-log';
import type { KafkaSettings } from './kafka-settings';

/**
 * The service's Kafka client. Every producer, consumer and admin it creates survives the deletion
 * of a topic it used (see deleted-topics.ts): one tenant's topic lifecycle never poisons a client
 * the others share.
 */
export function createKafkaClient(settings: KafkaSettings, service: string): Kafka {
  const kafka = new Kafka({
    clientId: `${settings.clientId}-${service}`,
    brokers: settings.brokers,
    logLevel: logLevel.INFO,
    logCreator: kafkaLogCreator,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 8 },
  });
  return guardAgainstDeletedTopics(kafka);
}

import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { guardAgainstDeletedTopics } from './deleted-topics';
import type { KafkaSettings } from './kafka-settings';

/** Routes kafkajs's own logs into the service logger so they come out as structured JSON too. */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const line = `${message} ${JSON.stringify(extra)}`;
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    // kafkajs INFO is per-connection chatter; keep it out of the service's info stream.
    else logger.debug(line);
  };
};

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
    logCreator: nestLogCreator,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 8 },
  });
  return guardAgainstDeletedTopics(kafka);
}

/** Connection settings for one service's Kafka client, read from the validated environment. */
export interface KafkaSettings {
  brokers: string[];
  /** Prefix of the kafkajs client id; the service name is appended (`event-hub-gateway`). */
  clientId: string;
  /** How long a health probe waits for the cluster to answer before reporting Kafka down. */
  healthTimeoutMs?: number;
}

export function parseBrokerList(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}

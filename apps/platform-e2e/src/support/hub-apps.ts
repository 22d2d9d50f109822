import { createTestTopics } from '@event-hub/testing';

/** The topics of one run of the tenant hub: commands, replies, usage and their dead letters. */
export function hubTopics(run: string) {
  return {
    commands: `${run}.user_events`,
    replies: `${run}.response_events`,
    dlq: `${run}.user_events.dlq`,
    usage: `${run}.usage_events`,
    usageDlq: `${run}.usage_events.dlq`,
  };
}

export type HubTopics = ReturnType<typeof hubTopics>;

export async function createHubTopics(topics: HubTopics): Promise<void> {
  await createTestTopics([topics.commands, topics.replies, topics.usage], 3);
  await createTestTopics([topics.dlq, topics.usageDlq], 1);
}

/** A gateway of the run: its own topics, and transactional ids stable across its restarts. */
export function hubGatewayEnv(databaseUrl: string, run: string, topics: HubTopics) {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_CLIENT_ID: run,
    GATEWAY_COMMAND_TOPIC: topics.commands,
    GATEWAY_REPLY_TOPIC: topics.replies,
    GATEWAY_REPLY_GROUP_ID: `${run}.replies`,
    GATEWAY_USAGE_TOPIC: topics.usage,
    GATEWAY_TRANSACTIONAL_ID_PREFIX: run,
  };
}

/** The processor of the run, aggregating the run's usage into billing. */
export function hubProcessorEnv(databaseUrl: string, run: string, topics: HubTopics) {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_CLIENT_ID: run,
    PROCESSOR_GROUP_ID: run,
    PROCESSOR_COMMAND_TOPIC: topics.commands,
    PROCESSOR_REPLY_TOPIC: topics.replies,
    PROCESSOR_DLQ_TOPIC: topics.dlq,
    PROCESSOR_USAGE_TOPIC: topics.usage,
    PROCESSOR_USAGE_DLQ_TOPIC: topics.usageDlq,
    PROCESSOR_USAGE_GROUP_ID: `${run}.usage`,
  };
}

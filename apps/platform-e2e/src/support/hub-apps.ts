import { createTestTopics } from '@event-hub/testing';
import { pipelineGatewayEnv, pipelineProcessorEnv, pipelineTopics } from './command-pipeline';

/** The topics of one run of the tenant hub: the command pipeline's, usage and its dead letters. */
export function hubTopics(run: string) {
  return {
    ...pipelineTopics(run),
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
    ...pipelineGatewayEnv(databaseUrl, run, topics),
    GATEWAY_USAGE_TOPIC: topics.usage,
    GATEWAY_TRANSACTIONAL_ID_PREFIX: run,
  };
}

/** The processor of the run, aggregating the run's usage into billing. */
export function hubProcessorEnv(databaseUrl: string, run: string, topics: HubTopics) {
  return {
    ...pipelineProcessorEnv(databaseUrl, run, topics),
    PROCESSOR_USAGE_TOPIC: topics.usage,
    PROCESSOR_USAGE_DLQ_TOPIC: topics.usageDlq,
    PROCESSOR_USAGE_GROUP_ID: `${run}.usage`,
  };
}

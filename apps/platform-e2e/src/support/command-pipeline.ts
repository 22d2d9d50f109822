import { Client } from 'pg';

/** The topics of one suite's command pipeline: its own, so no other suite or service sees them. */
export interface PipelineTopics {
  commands: string;
  replies: string;
  dlq: string;
}

export function pipelineTopics(run: string): PipelineTopics {
  return {
    commands: `${run}.user_events`,
    replies: `${run}.response_events`,
    dlq: `${run}.user_events.dlq`,
  };
}

/** A processor of the suite's pipeline: its database, topics and consumer group. */
export function pipelineProcessorEnv(
  databaseUrl: string,
  run: string,
  topics: PipelineTopics,
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_CLIENT_ID: run,
    PROCESSOR_GROUP_ID: run,
    PROCESSOR_COMMAND_TOPIC: topics.commands,
    PROCESSOR_REPLY_TOPIC: topics.replies,
    PROCESSOR_DLQ_TOPIC: topics.dlq,
  };
}

/** A gateway of the suite's pipeline: its database, topics and reply group. */
export function pipelineGatewayEnv(
  databaseUrl: string,
  run: string,
  topics: PipelineTopics,
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_CLIENT_ID: run,
    GATEWAY_COMMAND_TOPIC: topics.commands,
    GATEWAY_REPLY_TOPIC: topics.replies,
    GATEWAY_REPLY_GROUP_ID: `${run}.replies`,
  };
}

/** One query on the suite's database, on a connection of its own. */
export async function querySql<T>(
  databaseUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The transport id of {@link KafkaBatchServer}: handlers bound to it run on no other server. */
export const KAFKA_BATCH_TRANSPORT: unique symbol = Symbol('KAFKA_BATCH_TRANSPORT');

/**
 * Extras of `@EventPattern(pattern, KAFKA_BATCH)`: the handler takes a whole fetched batch of one
 * partition (`@Payload() records: KafkaMessage[]`, `@Ctx() context: KafkaBatchContext`). Nest's own
 * Kafka transport hands one message at a time (nestjs/nest#9455), which the Postgres-backed
 * consumers cannot afford: they apply a batch in one transaction.
 */
export const KAFKA_BATCH = Object.freeze({ kafkaBatch: true as const });

export function isKafkaBatchExtras(extras: Record<string, unknown> | undefined): boolean {
  return extras?.['kafkaBatch'] === true;
}

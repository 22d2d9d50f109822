import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { KAFKA_BATCH, KafkaBatchContext } from '@event-hub/kafka';
import { LOG_BATCHES } from './log-batches';
import { LogConsumer } from './log-consumer';

/**
 * The monitor's batches as a KafkaBatchServer handler. Resolving means "in the pipeline", not
 * "committed": the subscription commits deferred, by watermark, once records are stored.
 */
@Controller()
export class LogBatchesController {
  constructor(private readonly consumer: LogConsumer) {}

  @EventPattern(LOG_BATCHES, KAFKA_BATCH)
  readBatch(@Payload() records: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<void> {
    return this.consumer.readBatch(records, context);
  }
}

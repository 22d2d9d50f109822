import { Module } from '@nestjs/common';
import { KafkaUsageMeter } from './kafka-usage-meter';
import { UsageEvents } from './usage-events';
import { UsageMeter } from './usage-meter';

/**
 * Usage metering. Produce is metered inside the produce transaction itself (with
 * {@link UsageEvents}); consumption through {@link UsageMeter}.
 */
@Module({
  providers: [UsageEvents, KafkaUsageMeter, { provide: UsageMeter, useExisting: KafkaUsageMeter }],
  exports: [UsageMeter, UsageEvents],
})
export class UsageModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { BillingRowsWriter } from './billing-rows.writer';
import { UsageChunkProcessor } from './usage-chunk.processor';
import { UsageConsumer } from './usage-consumer';
import { UsageConsumerHealthIndicator, UsageConsumerStatus } from './usage-consumer-status';
import { UsageHealthController } from './usage-health.controller';
import { USAGE_SETTINGS, usageSettings } from './usage-settings';
import { USAGE_METRICS } from './usage.metrics';

/** Usage aggregation: `usage_events` → `billing`, exactly once per usage event. */
@Module({
  imports: [TerminusModule],
  controllers: [UsageHealthController, UsageConsumer],
  providers: [
    { provide: USAGE_SETTINGS, inject: [ConfigService], useFactory: usageSettings },
    ...USAGE_METRICS,
    BillingRowsWriter,
    UsageChunkProcessor,
    UsageConsumerStatus,
    UsageConsumerHealthIndicator,
  ],
  exports: [USAGE_SETTINGS, UsageConsumerHealthIndicator],
})
export class UsageModule {}

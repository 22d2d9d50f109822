import { Module } from '@nestjs/common';
import { QuotasModule } from '../../quotas/quotas.module';
import { SchemasModule } from '../../schemas/schemas.module';
import { TopicsModule } from '../../topics/topics.module';
import { expiredRowsCleanup } from '../../shared/expired-rows-cleanup';
import { UsageModule } from '../../usage/usage.module';
import { ProduceRecordsController } from './commands/produce-records/produce-records.controller';
import { ProduceRecordsHandler } from './commands/produce-records/produce-records.handler';
import { CommittedProduceSearch } from './idempotency/committed-produce-search';
import { PendingProduceSettler } from './idempotency/pending-produce-settler';
import { ProduceIdempotencyStore } from './idempotency/produce-idempotency.store';
import { ProduceCrashPoints } from './shared/produce-crash-points';
import { ProduceTransactions } from './shared/produce-transactions';
import { PRODUCE_METRICS } from './shared/produce.metrics';

/** `POST /topics/:name/records` (events:produce): records and their usage event in one transaction. */
@Module({
  imports: [TopicsModule, UsageModule, SchemasModule, QuotasModule],
  controllers: [ProduceRecordsController],
  providers: [
    ...PRODUCE_METRICS,
    ProduceTransactions,
    ProduceIdempotencyStore,
    expiredRowsCleanup('produce Idempotency-Keys', ProduceIdempotencyStore, (store) =>
      store.deleteExpired(),
    ),
    CommittedProduceSearch,
    PendingProduceSettler,
    ProduceCrashPoints,
    ProduceRecordsHandler,
  ],
})
export class ProduceModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Client } from '@elastic/elasticsearch';
import {
  MONITOR_SETTINGS,
  monitorSettingsFrom,
  type MonitorSettings,
} from '../config/monitor-settings';
import { ElasticsearchModule, ELASTICSEARCH_CLIENT } from '../elasticsearch/elasticsearch.module';
import { LogIndices } from '../elasticsearch/log-indices';
import { FallbackReplayer } from '../fallback/fallback-replayer';
import { FallbackStore } from '../fallback/fallback-store';
import { PersonalDataHasher } from '../privacy/personal-data-hasher';
import { BulkWriter } from '../elasticsearch/bulk-writer';
import { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import { IngestPipeline } from './ingest-pipeline';
import { IngestionLifecycle } from './ingestion-lifecycle';
import { KafkaBacklog } from './kafka-backlog';
import { LogBatchesController } from './log-batches.controller';
import { LogConsumer } from './log-consumer';
import { MONITOR_METRICS, MonitorMetrics } from './monitor-metrics';
import { MonitorStatus } from './monitor-status';

/** Every topic into Elasticsearch, with the file fallback and its replay. */
@Module({
  imports: [ElasticsearchModule],
  controllers: [LogBatchesController],
  providers: [
    { provide: MONITOR_SETTINGS, inject: [ConfigService], useFactory: monitorSettingsFrom },
    {
      provide: PersonalDataHasher,
      inject: [MONITOR_SETTINGS],
      useFactory: ({ piiKeys }: MonitorSettings) =>
        new PersonalDataHasher(piiKeys.current, piiKeys.previous),
    },
    {
      provide: FallbackStore,
      inject: [MONITOR_SETTINGS],
      useFactory: (settings: MonitorSettings) => new FallbackStore(settings.fallback),
    },
    {
      provide: BulkWriter,
      inject: [ELASTICSEARCH_CLIENT, MONITOR_SETTINGS, MonitorMetrics],
      useFactory: (client: Client, settings: MonitorSettings, metrics: MonitorMetrics) =>
        new BulkWriter(
          client,
          {
            deadLetterIndex: new LogIndices(settings.indexPrefix).deadLetter,
            requestTimeoutMs: settings.bulk.timeoutMs,
          },
          metrics.writerHooks(),
        ),
    },
    ...MONITOR_METRICS,
    ElasticsearchLink,
    IngestPipeline,
    FallbackReplayer,
    LogConsumer,
    KafkaBacklog,
    MonitorStatus,
    IngestionLifecycle,
  ],
  exports: [MONITOR_SETTINGS, MonitorStatus, ElasticsearchLink, PersonalDataHasher],
})
export class IngestionModule {}

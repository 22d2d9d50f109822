import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { FallbackReplayer } from '../fallback/fallback-replayer';
import { FallbackStore } from '../fallback/fallback-store';
import { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import { IngestPipeline } from './ingest-pipeline';
import { KafkaBacklog } from './kafka-backlog';
import { LogConsumer } from './log-consumer';
import { MonitorMetrics } from './monitor-metrics';
import { MonitorStatus } from './monitor-status';

/**
 * Starts and stops the ingestion parts in order. Start: find leftover fallback files, probe
 * Elasticsearch (and install the template), then replay and consume. Stop (SIGTERM or
 * app.close()): stop consuming, store what was read, commit, leave the group; then end the replay
 * and close the fallback file. Everything is stopped before the Elasticsearch client closes.
 */
@Injectable()
export class IngestionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Monitor');

  constructor(
    private readonly store: FallbackStore,
    private readonly link: ElasticsearchLink,
    private readonly replayer: FallbackReplayer,
    private readonly consumer: LogConsumer,
    private readonly backlog: KafkaBacklog,
    private readonly pipeline: IngestPipeline,
    private readonly metrics: MonitorMetrics,
    private readonly status: MonitorStatus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.open();
    if (!(await this.link.probe())) {
      this.logger.warn(
        `Elasticsearch unavailable at start (${this.link.lastError}): records spill to the fallback directory`,
      );
    }
    this.metrics.bindGauges(this.status);
    this.replayer.start();
    this.consumer.start();
    this.backlog.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.backlog.stop();
    await this.consumer.stop();
    await this.replayer.stop();
    this.pipeline.stop();
    await this.store.close();
  }
}

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
 * Elasticsearch (and install the template), then replay and start topic discovery (the
 * KafkaBatchServer joins the group once the app listens to it). Stop (SIGTERM or app.close()): the
 * server has already left the group in `onModuleDestroy`, storing and committing what was read;
 * then discovery and the replay end and the fallback file closes. Everything is stopped before the
 * Elasticsearch client closes.
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

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Client } from '@elastic/elasticsearch';
import type { MonitorEnvironment } from '../config/monitor.environment';
import { ELASTICSEARCH_CLIENT } from './elasticsearch.tokens';

/** Elasticsearch is up when the cluster reports green or yellow within the health timeout. */
@Injectable()
export class ElasticsearchHealthIndicator {
  constructor(
    @Inject(ELASTICSEARCH_CLIENT) private readonly client: Client,
    private readonly health: HealthIndicatorService,
    private readonly config: ConfigService<MonitorEnvironment, true>,
  ) {}

  async check(key = 'elasticsearch'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const cluster = await this.client.cluster.health(
        {},
        { requestTimeout: this.config.get('HEALTH_TIMEOUT_MS'), maxRetries: 0 },
      );
      if (cluster.status === 'red') return indicator.down({ clusterStatus: cluster.status });
      return indicator.up({ clusterStatus: cluster.status });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

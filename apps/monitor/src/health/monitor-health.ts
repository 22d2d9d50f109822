import { Injectable } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '@event-hub/kafka';
import { ServiceHealth } from '@event-hub/service-runtime';
import { ElasticsearchHealthIndicator } from '../elasticsearch/elasticsearch.health-indicator';
import { MonitorHealthIndicator } from './monitor.health-indicator';

/**
 * Ready while it reads Kafka and every record read is on its way to storage: with Elasticsearch
 * down it spills to the fallback directory by design, so that is ready. Not ready when Kafka is
 * down or consumption is paused because the fallback directory is full. The report adds
 * Elasticsearch, so /health still answers 503 while spilling (the `monitor` entry shows the mode,
 * backlog and oldest unindexed age).
 */
@Injectable()
export class MonitorHealth extends ServiceHealth {
  constructor(
    private readonly kafka: KafkaHealthIndicator,
    private readonly elasticsearch: ElasticsearchHealthIndicator,
    private readonly monitor: MonitorHealthIndicator,
  ) {
    super();
  }

  readiness(): HealthIndicatorFunction[] {
    return [() => this.kafka.check('kafka'), () => this.monitor.check('monitor')];
  }

  override report(): HealthIndicatorFunction[] {
    return [
      () => this.kafka.check('kafka'),
      () => this.elasticsearch.check('elasticsearch'),
      () => this.monitor.check('monitor'),
    ];
  }
}

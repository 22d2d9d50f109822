import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { KafkaHealthIndicator } from '@event-hub/kafka';
import { answerHealth } from '@event-hub/service-runtime';
import { ElasticsearchHealthIndicator } from '../elasticsearch/elasticsearch.health-indicator';
import { MonitorHealthIndicator } from './monitor.health-indicator';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly elasticsearch: ElasticsearchHealthIndicator,
    private readonly monitor: MonitorHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Kafka, Elasticsearch and the monitor state',
    description:
      '200 when Kafka and Elasticsearch are up and consumption runs. 503 when a dependency is down ' +
      '(with Elasticsearch down the `monitor` entry stays up and shows mode `spilling`, the ' +
      'fallback backlog and the age of the oldest record not yet indexed), or when consumption is ' +
      'paused because the fallback directory is full (`monitor` down).',
  })
  @ApiResponse({ status: 200, description: 'Everything up' })
  @ApiResponse({ status: 503, description: 'A dependency down or consumption paused' })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerHealth(reply, () =>
      this.health.check([
        () => this.kafka.check('kafka'),
        () => this.elasticsearch.check('elasticsearch'),
        () => this.monitor.check('monitor'),
      ]),
    );
  }
}
